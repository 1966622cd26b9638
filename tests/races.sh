#!/usr/bin/env bash
# Builds that use several threads at once (the state loaded while the
# inputs are scanned, that thread helping with the scan's stat()s,
# the order and terms beside the url check, the plan's
# two tables, the inputs' record, the rendering, the diagrams), run with
# the binary built with ThreadSanitizer (make TSAN=1, build-tsan/blog):
# cold, no-op, edits of a body, a title, two bodies (a quick build, the
# feed read again on the threads) and a template, a post removed and
# one added, a full build on five threads, and the article's three
# scenarios drawn with no cache, on two threads and on three.  Each must end with exit 0 and no
# report.  tests/run.sh runs it with TSAN_BLOG=build-tsan/blog.
source "$(dirname "${BASH_SOURCE[0]}")/cli/lib.sh"

if [ -z "${TSAN_BLOG:-}" ] || [ ! -x "$TSAN_BLOG" ]; then
  fail "races: TSAN_BLOG (the ThreadSanitizer build of blog) not given"
  exit 1
fi
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 report_signal_unsafe=0 suppressions=$ROOT/tests/tsan.supp"
# ThreadSanitizer cannot map its shadow memory with the address-space
# randomization of some kernels (vm.mmap_rnd_bits > 28): then without it
wrap=()
if ! "$TSAN_BLOG" --version >/dev/null 2>&1 &&
  setarch "$(uname -m)" -R "$TSAN_BLOG" --version >/dev/null 2>&1; then
  wrap=(setarch "$(uname -m)" -R)
fi
site="$TMP/races"
corpus_site "$site" 300
posts=("$site"/content/posts/*.md)

run() { # NAME [ENV=...] ARGS...: one build, no report
  local name="$1"; shift
  if "${wrap[@]}" env "$@" >"$TMP/races.out" 2>&1 &&
    ! grep -q ThreadSanitizer "$TMP/races.out"; then
    ok "no data race: $name"
  else
    fail "no data race: $name"; grep -A12 -m1 'WARNING: ThreadSanitizer' "$TMP/races.out" | sed 's/^/    /'
  fi
}
run "cold build" "$TSAN_BLOG" build --site "$site" --quiet
run "no-op build" "$TSAN_BLOG" build --site "$site" --quiet
printf '\nOne more line.\n' >>"${posts[1]}"
run "a body edited" "$TSAN_BLOG" build --site "$site" --quiet
sed -i 's/^title: \(.*\)$/title: \1 again/' "${posts[2]}"
run "a title edited" "$TSAN_BLOG" build --site "$site" --quiet
printf '\nAnd another.\n' | tee -a "${posts[0]}" >>"${posts[1]}"
run "two bodies edited (a quick build)" BLOG_PROFILE=1 "$TSAN_BLOG" build --site "$site" --quiet
check "that was a quick build" grep -q '^profile: quick ' "$TMP/races.out"
printf '\n<!-- edited -->\n' >>"$site/templates/post.html"
run "a template edited" "$TSAN_BLOG" build --site "$site" --quiet
rm "${posts[3]}"
cp "${posts[4]}" "$site/content/posts/zz-a-copy.md"
run "a post removed, one added" "$TSAN_BLOG" build --site "$site" --quiet
run "full build, five threads" BLOG_JOBS=5 "$TSAN_BLOG" build --site "$site" --full --quiet
mkdir -p "$site/content/diagrams"
cp "$ROOT"/content/diagrams/*.yaml "$site/content/diagrams/"
run "three diagrams drawn, two threads" BLOG_JOBS=2 "$TSAN_BLOG" build --site "$site" --quiet
rm -rf "$site/.cache"
run "three diagrams drawn, three threads" BLOG_JOBS=3 "$TSAN_BLOG" build --site "$site" --full --quiet
