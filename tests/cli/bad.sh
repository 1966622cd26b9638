#!/usr/bin/env bash
# Bad input: every case in tests/bad/ must fail with exactly the error line in
# its .err file, exit status 1, and leave public/ byte-identical.  A case's
# file name says where it goes in a small, valid site:
#   NAME.post.md      -> content/posts/NAME.md
#   NAME.page.md      -> content/pages/NAME.md
#   NAME.site.yaml    -> site.yaml
#   NAME.tmpl-T.html  -> templates/T.html
# In NAME.err, SITE stands for the site's folder.  Scenario files that must
# be refused are in tests/scenarios/bad/ (tests/cli/traces.sh runs them with
# `blog diagram`); here two of them also go through a whole build.
# Then generated cases: a 50 MB post, a 10 000-level list, a missing site.yaml,
# a folder named like a post; and inputs that must *work*: a BOM, CRLF line
# ends, Markdown that stresses cmark.
#
#   REGEN=1 bash tests/cli/bad.sh   rewrite the .err files (review the diff!)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BASE="$TMP/base"
mkdir -p "$BASE/content/posts" "$BASE/content/pages"
cp -r "$ROOT/templates" "$ROOT/assets" "$BASE/"
cp "$ROOT/site.yaml" "$BASE/site.yaml"
printf -- '---\ntitle: Hello\ndate: 2019-07-14 16:34:58\ntags: TCP, IP\ncategories: net\n---\nA good post.\n' >"$BASE/content/posts/hello.md"
printf -- '---\ntitle: About\n---\nAbout this blog.\n' >"$BASE/content/pages/about.md"
"$BLOG" build --site "$BASE" --quiet || { fail "the base site builds"; exit 0; }
sums() { (cd "$1/public" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
sums "$BASE" >"$TMP/base.sums"

# run_case NAME: builds $S (already prepared); checks exit 1, the error line,
# public/ unchanged.  $want is the expected line (SITE for the folder).
run_case() {
  local name=$1 want=$2 got rc
  "$BLOG" build --site "$S" >"$TMP/out" 2>"$TMP/err"; rc=$?
  got=$(grep -m1 ': error: ' "$TMP/err" | sed "s|$S|SITE|g")
  if [ -n "${REGEN:-}" ] && [ -f "$ROOT/tests/bad/$name.err" -o -n "${NEW:-}" ]; then
    printf '%s\n' "$got" >"$ROOT/tests/bad/$name.err"; want=$got
  fi
  if [ $rc -ne 1 ]; then fail "$name: exit 1" "exit $rc: $(head -3 "$TMP/err")"; return; fi
  if [ "$got" != "$want" ]; then fail "$name: error line" "want: $want
got:  $got"; return; fi
  if ! sums "$S" | cmp -s - "$TMP/base.sums"; then fail "$name: public/ unchanged"; return; fi
  ok "$name: exit 1, public/ unchanged, $(sed 's/^[^ ]* error: //' <<<"$want" | cut -c1-70)"
}

fresh() { rm -rf "$S"; cp -a "$BASE" "$S"; }
S="$TMP/site"
for f in "$ROOT"/tests/bad/*; do
  case $f in *.err) continue ;; esac
  file=$(basename "$f")
  case $file in
    *.post.md) name=${file%.post.md}; fresh; cp "$f" "$S/content/posts/$name.md" ;;
    *.page.md) name=${file%.page.md}; fresh; cp "$f" "$S/content/pages/$name.md" ;;
    *.site.yaml) name=${file%.site.yaml}; fresh; cp "$f" "$S/site.yaml" ;;
    *.tmpl-*.html) name=${file%%.tmpl-*}; t=${file#*.tmpl-}; fresh; cp "$f" "$S/templates/$t" ;;
    *) fail "$file: unknown kind of case"; continue ;;
  esac
  [ -f "$ROOT/tests/bad/$name.err" ] || [ -n "${REGEN:-}" ] || { fail "$name: has a .err file"; continue; }
  NEW=1 run_case "$name" "$(cat "$ROOT/tests/bad/$name.err" 2>/dev/null)"
done

# scenario errors stop a whole build too
for sc in send-before-connect deliver-nothing; do
  fresh; mkdir -p "$S/content/diagrams"
  tail -n +2 "$ROOT/tests/scenarios/bad/$sc.yaml" >"$S/content/diagrams/$sc.yaml"
  want=$(head -1 "$ROOT/tests/scenarios/bad/$sc.yaml" | sed "s|^# expect: ||; s|^\([0-9]*\):|\1:|")
  line=${want%%:*}; rest=${want#*:}
  run_case "scenario-$sc" "SITE/content/diagrams/$sc.yaml:$((line - 1)):$rest"
done

# generated: a 50 MB post (over the 16 MiB limit)
fresh
{ printf -- '---\ntitle: big\n---\n'; head -c 52428800 /dev/zero | tr '\0' 'a'; } >"$S/content/posts/big.md"
run_case "post-50mb" "SITE/content/posts/big.md: error: file is larger than the limit of 16 MiB; split it"
# a missing site.yaml
fresh; rm "$S/site.yaml"
run_case "site-yaml-missing" "SITE/site.yaml: error: no site.yaml; create one with at least 'title:' and 'base_url:'"
# a folder named like a post
fresh; mkdir "$S/content/posts/folder.md"
"$BLOG" build --site "$S" >"$TMP/out" 2>"$TMP/err"; rc=$?
if [ $rc -le 1 ] && ! grep -q "Sanitizer\|runtime error" "$TMP/err"; then ok "a folder named like a post: exit $rc, no crash"; else fail "a folder named like a post" "exit $rc"; fi

# must work: a 10 000-level nested list, cmark stress, BOM, CRLF
fresh
{ printf -- '---\ntitle: deep\ndate: 2020-01-01\n---\n'; for i in $(seq 1 10000); do printf -- '- '; done; printf 'x\n'; } >"$S/content/posts/deep.md"
{ printf -- '---\ntitle: stress\ndate: 2020-01-02\n---\n'; head -c 100000 /dev/zero | tr '\0' '>'; printf ' q\n\n'; head -c 100000 /dev/zero | tr '\0' '['; printf '\n\n'; for i in $(seq 1 20000); do printf '*a **b '; done; printf '\n'; } >"$S/content/posts/stress.md"
printf '\xef\xbb\xbf---\ntitle: With a BOM\ndate: 2020-01-03\n---\nBOM body.\n' >"$S/content/posts/bom.md"
printf -- '---\r\ntitle: With CRLF\r\ndate: 2020-01-04\r\ntags: [crlf]\r\n---\r\nCRLF body.\r\n' >"$S/content/posts/crlf.md"
start=$(date +%s)
if timeout 120 "$BLOG" build --site "$S" --quiet 2>"$TMP/err"; then
  ok "a 10 000-level list, 100 000 '>' and '[', 20 000 emphasis runs: built in $(( $(date +%s) - start )) s"
else
  fail "cmark stress builds" "$(head -3 "$TMP/err")"
fi
grep -q "BOM body" "$S/public/2020/01/03/bom/index.html" 2>/dev/null && grep -q "<title>With a BOM" "$S/public/2020/01/03/bom/index.html" &&
  ok "a BOM works" || fail "a BOM works"
grep -q "CRLF body" "$S/public/2020/01/04/crlf/index.html" 2>/dev/null && [ -d "$S/public/tags/crlf" ] &&
  ok "CRLF line ends work" || fail "CRLF line ends work"
