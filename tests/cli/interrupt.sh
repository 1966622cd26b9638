#!/usr/bin/env bash
# A build killed with SIGKILL at any moment leaves public/ exactly the old
# site or exactly the new one, never a mix; the next build succeeds and
# removes the temporary folders the killed ones left.
#
# The site is the repository's templates with 2 000 generated posts
# (../shared/bench/gen-corpus.sh; 1 000 in the sanitizer build).  Its two versions differ in the title
# in site.yaml, which is on every page.  Each round asks for the version
# public/ does not hold and kills the build after a delay that closes in
# on the moment of the swap: later after a round that left the old site,
# earlier after one that published the new one.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# the sanitizer build is five times slower: it gets half the posts
N=${INTERRUPT_POSTS:-$([ "$BUILD" = build-asan ] && echo 1000 || echo 2000)}
SHARED=${SHARED:-$ROOT/../shared/bench}
site="$TMP/site"
mkdir -p "$site/content/posts"
cp -r "$ROOT/templates" "$ROOT/assets" "$site/"
if ! bash "$SHARED/gen-corpus.sh" "$N" "$TMP/corpus" >"$TMP/gen.log" 2>&1; then
  fail "generate $N posts with $SHARED/gen-corpus.sh"
  sed 's/^/    /' "$TMP/gen.log" | tail -5
  exit 0
fi
mv "$TMP"/corpus/hexo/*.md "$site/content/posts/"
rm -rf "$TMP/corpus"

version() { # version A|B: the site.yaml of that version
  cat >"$site/site.yaml" <<EOF
title: Version $1
base_url: https://example.org/
timezone: Asia/Shanghai
link_check: warn
EOF
}
snap() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

# the two expected outputs: B beside the site, A as public/; the time A
# takes is what the first kill is measured against
version B
"$BLOG" build --site "$site" --out "$TMP/expect-B" --quiet >"$TMP/b.log" 2>&1
rc=$?
snap "$TMP/expect-B" >"$TMP/B.sums"
rm -rf "$TMP/expect-B"
version A
t0=$(now_ms)
"$BLOG" build --site "$site" --quiet >"$TMP/a.log" 2>&1
rc=$((rc + $?))
t=$(($(now_ms) - t0))
snap "$site/public" >"$TMP/A.sums"
if [ $rc -ne 0 ] || cmp -s "$TMP/A.sums" "$TMP/B.sums"; then
  fail "the two versions build and differ" "exit $rc"
  head -5 "$TMP/a.log" "$TMP/b.log"
  exit 0
fi
ok "$N posts build in $t ms ($(wc -l <"$TMP/A.sums") files)"

held=A
seen_old=0
seen_new=0
lo=0
hi=0
d=$((t * 3 / 4))
# (six rounds at least, twelve at most: the first build, the cold one the
# delay starts from, can take thirty times what the next ones take when
# the output is on a slow disk, and the halving needs rounds to get there)
for round in $(seq 1 12); do
  [ "$round" -gt 6 ] && [ $seen_old -gt 0 ] && [ $seen_new -gt 0 ] && break
  want=$([ $held = A ] && echo B || echo A)
  version "$want"
  "$BLOG" build --site "$site" --quiet >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  snap "$site/public" >"$TMP/now.sums" 2>/dev/null
  if cmp -s "$TMP/now.sums" "$TMP/$held.sums"; then
    seen_old=$((seen_old + 1))
    ok "killed after $d ms: public/ is exactly the old site"
    lo=$d
    if [ $hi -gt 0 ]; then d=$(((lo + hi) / 2)); else d=$((d * 4 / 3 + 50)); fi
  elif cmp -s "$TMP/now.sums" "$TMP/$want.sums"; then
    seen_new=$((seen_new + 1))
    ok "killed after $d ms: public/ is exactly the new site"
    held=$want
    hi=$d
    d=$(((lo + hi) / 2))
  else
    fail "killed after $d ms: public/ is exactly the old or the new site" \
      "$(comm -3 "$TMP/now.sums" "$TMP/$held.sums" | wc -l) lines differ from the old"
    break
  fi
done
check "the kills left the old site ($seen_old) and the new one ($seen_new)" \
  test $seen_old -gt 0 -a $seen_new -gt 0

# a build killed while it writes leaves its temporary folder: the kill
# comes once a new public.tmp-* has appeared (the build first removes the
# ones earlier rounds left); --full, since an incremental build updates the
# second generation in .public.blog/ instead
want=$([ $held = A ] && echo B || echo A)
version "$want"
old_tmp=" $(cd "$site" && echo public.tmp-*) "
"$BLOG" build --site "$site" --full --quiet >/dev/null 2>&1 &
pid=$!
for ((k = 0; k < 600; k++)); do
  new_tmp=""
  for f in "$site"/public.tmp-*; do
    [ -d "$f" ] && [[ "$old_tmp" != *" ${f##*/} "* ]] && new_tmp=$f
  done
  [ -n "$new_tmp" ] && break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null

stale=$(find "$TMP/site" -maxdepth 1 -name 'public.tmp-*' | wc -l)
check "a killed build leaves its temporary folder ($stale)" test "$stale" -gt 0
check "the next build succeeds" "$BLOG" build --site "$site" --quiet
snap "$site/public" >"$TMP/now.sums"
check "and publishes the new site" cmp "$TMP/now.sums" "$TMP/$want.sums"
check "and no temporary folder is left beside public/" \
  bash -c "! find '$TMP/site' -maxdepth 1 -name 'public.tmp-*' | grep -q ."
