#!/usr/bin/env bash
# The generated site against outside validators:
#   - every HTML page: the Nu HTML Checker (npm package vnu-jar, installed
#     into .cache/vnu by this script or by ./build.sh test; needs Java);
#   - atom.xml: feedparser (Debian python3-feedparser, run with
#     /usr/bin/python3) without the bozo flag, and xmllint;
#   - sitemap.xml and every SVG: xmllint; the sitemap lists every page.
# Two sites are checked: the repository's own (site.yaml, content/,
# templates/, assets/), and its templates with 25 generated posts, which
# gives pagination, tag and category pages, and neighbours.
#
# The seed article's own raw HTML has errors the checker reports (width="600px"
# on <img>, a ### heading right under the page's <h1>).  A post's HTML is
# kept as written (tests/cli/site.sh checks that), so these are listed in
# tests/cli/validate-known.txt; any other error fails, and so does a listed
# one that no longer occurs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

vnu_dir="$ROOT/.cache/vnu"
vnu="$vnu_dir/node_modules/vnu-jar/build/dist/vnu.jar"
if [ ! -f "$vnu" ] && command -v npm >/dev/null 2>&1; then
  npm install --silent --no-audit --no-fund --prefix "$vnu_dir" vnu-jar \
    >"$TMP/npm.log" 2>&1
fi
have_vnu=1
if [ ! -f "$vnu" ]; then
  fail "the Nu HTML Checker is installed" "no $vnu; run: npm install --prefix .cache/vnu vnu-jar (needs npm and the npm registry)"
  sed 's/^/    /' "$TMP/npm.log" 2>/dev/null | tail -5
  have_vnu=0
elif ! java -version >/dev/null 2>&1; then
  fail "Java runs the Nu HTML Checker" "no java; install Debian's default-jre-headless"
  have_vnu=0
fi

# ---- the two sites ------------------------------------------------------

real="$TMP/real"
mkdir -p "$real"
cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/templates" "$ROOT/assets" "$real/"
# the article's diagrams are drawn from content/diagrams/, so every link
# must resolve
check "the repository's site builds" \
  "$BLOG" build --site "$real" --quiet

gen="$TMP/gen"
mkdir -p "$gen/content/posts"
cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/assets" "$gen/"
cp -r "$ROOT/content/pages" "$gen/content/"
SHARED=${SHARED:-$ROOT/../shared/bench}
check "the corpus generator runs ($SHARED/gen-corpus.sh)" \
  bash "$SHARED/gen-corpus.sh" 25 "$TMP/corpus"
cp "$TMP"/corpus/hexo/*.md "$gen/content/posts/" 2>/dev/null
check "a site of 25 generated posts builds" \
  "$BLOG" build --site "$gen" --link-check=warn --quiet
check "the generated site has list pages 2 and 3" \
  test -f "$gen/public/page/3/index.html"

# ---- HTML ---------------------------------------------------------------

if [ "$have_vnu" = 1 ]; then
  find "$real/public" "$gen/public" -name '*.html' | sort >"$TMP/pages"
  java -jar "$vnu" --errors-only --format gnu $(cat "$TMP/pages") \
    >"$TMP/vnu.out" 2>&1
  # "file:/tmp/.../real/public/REL":L.C-L.C: error: MSG -> real REL: error: MSG
  sed -E "s|^\"file:$TMP/([a-z]+)/public/([^\"]*)\":[0-9.-]+: |\1 \2: |" \
    "$TMP/vnu.out" | sort >"$TMP/vnu.errors"
  grep -v '^#' "$ROOT/tests/cli/validate-known.txt" | grep -v '^$' | sort \
    >"$TMP/known"
  n=$(wc -l <"$TMP/pages")
  if grep -qv -e '^real ' -e '^gen ' "$TMP/vnu.errors"; then
    fail "every page passes the Nu HTML Checker" "the checker did not run"
    head -5 "$TMP/vnu.out" | sed 's/^/    /'
  elif comm -23 "$TMP/vnu.errors" "$TMP/known" | grep -q .; then
    fail "every page passes the Nu HTML Checker ($n pages)"
    comm -23 "$TMP/vnu.errors" "$TMP/known" | head -20 | sed 's/^/    /'
  else
    ok "every page passes the Nu HTML Checker ($n pages; $(wc -l <"$TMP/known") known errors in the seed article's own HTML)"
  fi
  if comm -13 "$TMP/vnu.errors" "$TMP/known" | grep -q .; then
    fail "tests/cli/validate-known.txt lists only errors that occur"
    comm -13 "$TMP/vnu.errors" "$TMP/known" | sed 's/^/    no longer: /'
  else
    ok "tests/cli/validate-known.txt lists only errors that occur"
  fi
fi

# ---- feed, sitemap, SVG -------------------------------------------------

for site in "$real" "$gen"; do
  name=$(basename "$site")
  pub="$site/public"
  posts=$(find "$site/content/posts" -name '*.md' | wc -l)
  want=$((posts < 20 ? posts : 20))
  check "$name: atom.xml parses with feedparser, no bozo flag, $want entries" \
    /usr/bin/python3 -c "
import sys, feedparser
f = feedparser.parse(sys.argv[1])
if f.bozo:
    sys.exit('bozo: %s' % f.bozo_exception)
if len(f.entries) != int(sys.argv[2]):
    sys.exit('%d entries' % len(f.entries))
for e in f.entries:
    if not (e.get('title') and e.get('link') and e.get('id') and e.get('updated')):
        sys.exit('entry without title, link, id or updated: %r' % e.get('id'))
" "$pub/atom.xml" "$want"
  check "$name: xmllint accepts atom.xml and sitemap.xml" \
    xmllint --noout "$pub/atom.xml" "$pub/sitemap.xml"
  svgs=$(find "$pub" -name '*.svg' | wc -l)
  if [ "$svgs" -gt 0 ]; then
    check "$name: xmllint accepts every SVG ($svgs)" \
      bash -c "find '$pub' -name '*.svg' -print0 | xargs -0 xmllint --noout"
  elif [ "$name" = real ]; then
    fail "real: the article's diagrams are drawn as SVG" "no SVG in $pub"
  fi
  # every page (every index.html; 404.html is not one) is in the sitemap
  base=$(sed -n 's/^base_url: *//p' "$site/site.yaml" | tr -d '"'"'")
  (cd "$pub" && find . -name index.html | sed -e 's|^\./||' -e 's|index\.html$||' |
    sed "s|^|$base|" | sort) >"$TMP/pages.$name"
  sed -n 's|.*<loc>\(.*\)</loc>.*|\1|p' "$pub/sitemap.xml" | sort >"$TMP/locs.$name"
  if cmp -s "$TMP/pages.$name" "$TMP/locs.$name"; then
    ok "$name: sitemap.xml lists every page ($(wc -l <"$TMP/locs.$name"))"
  else
    fail "$name: sitemap.xml lists every page"
    diff "$TMP/pages.$name" "$TMP/locs.$name" | head -10 | sed 's/^/    /'
  fi
done
