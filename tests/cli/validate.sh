#!/usr/bin/env bash
# Every output validates: each generated HTML page passes the Nu HTML Checker
# (npm vnu-jar, on Debian's Java) with no errors; atom.xml parses with
# feedparser without the bozo flag and is well-formed for xmllint;
# sitemap.xml is well-formed and lists every page; every SVG is well-formed.
#
# Two kinds of vnu errors come from the article's own raw HTML, which the
# build passes through unchanged on purpose (Hexo posts drop in as written):
# `width="600px"` on its <img> tags, and its `###` headings under the page's
# <h1>.  They are listed, counted, and allowed only in that article.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
S="$TMP/site"; mkdir -p "$S"
cp -r "$ROOT"/site.yaml "$ROOT"/content "$ROOT"/templates "$ROOT"/assets "$S/"
# more pages: a second post, a draft-free tag page, pagination
for i in $(seq 1 12); do
  printf -- '---\ntitle: Note %d on <TCP> & "IP"\ndate: 2020-01-%02d 10:00:00\ntags: [TCP, notes]\ncategories: [Networking]\n---\nText with a [link](/about/) and `code`.\n\n<!-- more -->\n\n## More\n\nRest.\n' "$i" "$i" >"$S/content/posts/note-$i.md"
done
"$BLOG" build --site "$S" --quiet || { fail "the site builds"; exit 0; }
P="$S/public"

VNU="$ROOT/.cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
if [ ! -f "$VNU" ]; then
  mkdir -p "$ROOT/.cache"
  npm install --silent --no-audit --no-fund --prefix "$ROOT/.cache/vnu" vnu-jar >/dev/null 2>&1
fi
if [ ! -f "$VNU" ] || ! command -v java >/dev/null; then
  fail "the Nu HTML Checker runs" "vnu-jar (npm) or java (default-jre-headless) is missing"
else
  java -jar "$VNU" --errors-only --skip-non-html "$P" >"$TMP/vnu.out" 2>&1
  article='why-tcp-connection-termination-needs-four-way-handshake/index.html'
  allowed=$(grep -c "$article\".*\(Bad value “[0-9]*px” for attribute “\(width\|height\)” on element “img”\|follows the heading “h1”.*skipping 1 heading level\)" "$TMP/vnu.out")
  grep -v "$article\".*\(Bad value “[0-9]*px” for attribute “\(width\|height\)” on element “img”\|follows the heading “h1”.*skipping 1 heading level\)" "$TMP/vnu.out" | grep ': error: ' >"$TMP/vnu.bad"
  pages=$(find "$P" -name '*.html' | wc -l)
  if [ ! -s "$TMP/vnu.bad" ]; then ok "vnu: $pages HTML pages, no errors (besides $allowed in the article's own HTML)"; else fail "vnu: no errors" "$(head -10 "$TMP/vnu.bad")"; fi
fi

check "atom.xml is well-formed (xmllint)" xmllint --noout "$P/atom.xml"
if /usr/bin/python3 -c '
import sys, feedparser
f = feedparser.parse(sys.argv[1])
assert not f.bozo, f.get("bozo_exception")
assert len(f.entries) == 13, len(f.entries)
assert all(e.link.startswith("https://example.org/") for e in f.entries)
' "$P/atom.xml" 2>"$TMP/fp.err"; then ok "atom.xml: feedparser, no bozo, 13 entries, absolute links"; else fail "atom.xml: feedparser" "$(tail -3 "$TMP/fp.err")"; fi
check "sitemap.xml is well-formed" xmllint --noout "$P/sitemap.xml"
missing=0
while IFS= read -r f; do
  rel=${f#$P/}; url="https://example.org/${rel%index.html}"
  grep -q "<loc>$url</loc>" "$P/sitemap.xml" || { missing=$((missing + 1)); echo "    not in sitemap: $url"; }
done < <(find "$P" -name index.html | sort)
if [ $missing -eq 0 ]; then ok "sitemap.xml lists every page"; else fail "sitemap.xml lists every page" "$missing missing"; fi
n=0; bad=0
for f in "$P"/images/*.svg; do n=$((n + 1)); xmllint --noout "$f" 2>/dev/null || bad=$((bad + 1)); done
if [ $n -gt 0 ] && [ $bad -eq 0 ]; then ok "$n SVGs are well-formed"; else fail "SVGs are well-formed" "$bad of $n"; fi
