#!/usr/bin/env bash
# Runs every test twice: with the normal build (build/) and with the
# AddressSanitizer + UBSan build (build-asan/); then the threaded builds of
# tests/races.sh with the ThreadSanitizer build (build-tsan/).  Each unit test binary is a
# Check suite; each tests/cli/*.sh script prints "ok - NAME" or
# "not ok - NAME" lines.  The last line is "N passed, N failed".
#
#   tests/run.sh            both passes
#   tests/run.sh --fast     normal build only
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0
failures=()

variants=(build build-asan)
[ "${1:-}" = --fast ] && variants=(build)

export CK_DEFAULT_TIMEOUT=120
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0

for v in "${variants[@]}"; do
  san=0; [ "$v" = build-asan ] && san=1
  echo "== $v: compiling"
  if ! make -s -j"$jobs" SAN=$san BUILD="$v" tests >"/tmp/blog-make-$v.log" 2>&1; then
    cat "/tmp/blog-make-$v.log"
    failed=$((failed + 1)); failures+=("$v: compile")
    continue
  fi
  for t in "$v"/test_*; do
    [ -x "$t" ] || continue
    name="$v/$(basename "$t")"
    out=$(cd "$ROOT" && "$t" 2>&1); rc=$?
    line=$(printf '%s\n' "$out" | grep -E '[0-9]+%: Checks: [0-9]+' | tail -1)
    if [ -z "$line" ]; then
      printf '%s\n' "$out" | tail -30
      echo "FAIL $name (exit $rc, no Check summary)"
      failed=$((failed + 1)); failures+=("$name")
      continue
    fi
    n=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
    f=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
    e=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
    passed=$((passed + n - f - e)); failed=$((failed + f + e))
    if [ "$rc" -ne 0 ] || [ $((f + e)) -gt 0 ]; then
      printf '%s\n' "$out" | grep -vE '^[0-9]+%: Checks' | grep -E ':[EF]:|ERROR|Sanitizer|runtime error' | head -40
      failures+=("$name")
      [ $((f + e)) -eq 0 ] && { failed=$((failed + 1)); }
    fi
    echo "$name: $line"
  done
  for s in tests/cli/*.sh; do
    [ -f "$s" ] || continue
  [ "$(basename "$s")" = lib.sh ] && continue
    name="$v/$(basename "$s")"
    out=$(BLOG="$ROOT/$v/blog" BUILD="$v" ROOT="$ROOT" bash "$s" 2>&1); rc=$?
    p=$(grep -c '^ok - ' <<<"$out")
    f=$(grep -c '^not ok - ' <<<"$out")
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
      printf '%s\n' "$out" | grep -v '^ok - ' | tail -40
      failures+=("$name")
      [ "$f" -eq 0 ] && failed=$((failed + 1))
    fi
    echo "$name: $p passed, $f failed"
  done
done

# the builds that run threads at once, with ThreadSanitizer
if [ "${1:-}" != --fast ]; then
  echo "== build-tsan: compiling"
  if make -s -j"$jobs" TSAN=1 BUILD=build-tsan build-tsan/blog >/tmp/blog-make-tsan.log 2>&1; then
    out=$(TSAN_BLOG="$ROOT/build-tsan/blog" BLOG="$ROOT/build/blog" ROOT="$ROOT" bash tests/races.sh 2>&1)
    p=$(grep -c '^ok - ' <<<"$out"); f=$(grep -c '^not ok - ' <<<"$out")
    passed=$((passed + p)); failed=$((failed + f))
    [ "$f" -gt 0 ] && { printf '%s\n' "$out" | grep -v '^ok - ' | tail -40; failures+=("build-tsan/races.sh"); }
    echo "build-tsan/races.sh: $p passed, $f failed"
  else
    cat /tmp/blog-make-tsan.log
    failed=$((failed + 1)); failures+=("build-tsan: compile")
  fi
fi

if [ ${#failures[@]} -gt 0 ]; then
  echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
