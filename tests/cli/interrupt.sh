#!/usr/bin/env bash
# A build killed with SIGKILL at any moment leaves public/ exactly the old
# site or exactly the new one, never a mix; the next build succeeds and
# removes the scratch folder the killed one left.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
S="$TMP/site"; mkdir -p "$S/content/posts"
cp -r "$ROOT"/templates "$ROOT"/assets "$S/"
sed 's/^link_check:.*/link_check: warn/' "$ROOT/site.yaml" >"$S/site.yaml"
"$ROOT/../shared/bench/gen-corpus.sh" 1500 "$TMP/corpus" 20190714 >/dev/null 2>&1 ||
  { for i in $(seq 1 1500); do printf -- '---\ntitle: P%d\ndate: 2019-01-01\n---\nbody %d\n' $i $i >"$S/content/posts/p$i.md"; done; }
[ -d "$TMP/corpus/hexo" ] && cp "$TMP/corpus"/hexo/*.md "$S/content/posts/"
sums() { (cd "$S/public" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum; }
"$BLOG" build --site "$S" --quiet || { fail "the first build"; exit 0; }
old=$(sums)
# the new site: every post edited
sed -i 's/^title: \(.*\)$/title: \1 (new)/' "$S"/content/posts/*.md
"$BLOG" build --site "$S" --out "$TMP/expected" --quiet
new=$( (cd "$TMP/expected" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum)
mixed=0; olds=0; news=0
for delay in 0.02 0.05 0.1 0.2 0.3 0.5 0.8 1.2; do
  # back to a state where public/ is the old site
  [ "$(sums)" = "$old" ] || { sed -i 's/ (new)$//' "$S"/content/posts/*.md; "$BLOG" build --site "$S" --quiet; sed -i 's/^title: \(.*\)$/title: \1 (new)/' "$S"/content/posts/*.md; }
  "$BLOG" build --site "$S" --quiet & pid=$!
  sleep "$delay"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
  now=$(sums)
  if [ "$now" = "$old" ]; then olds=$((olds + 1)); elif [ "$now" = "$new" ]; then news=$((news + 1)); else mixed=$((mixed + 1)); fi
done
if [ $mixed -eq 0 ]; then ok "8 kills at 0.02-1.2 s: public/ was the old site $olds times, the new one $news times, never a mix"; else fail "never a mix" "$mixed mixed"; fi
"$BLOG" build --site "$S" --quiet
if [ "$(sums)" = "$new" ]; then ok "the next build gives the new site"; else fail "the next build gives the new site"; fi
left=$(find "$S" -maxdepth 1 -name 'public.tmp-*' | wc -l)
if [ "$left" -eq 0 ]; then ok "no scratch folder is left behind"; else fail "no scratch folder is left behind" "$left left"; fi
