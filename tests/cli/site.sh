#!/usr/bin/env bash
# The site build end to end: the seed article, reproducibility, errors that
# leave public/ untouched, base_url with a path, drafts, check, new.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

site="$TMP/site"
mkdir -p "$site"
cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/templates" "$ROOT/assets" "$site/"
art=2019/07/14/why-tcp-connection-termination-needs-four-way-handshake/index.html

"$BLOG" build --site "$site" --quiet >"$TMP/build.log" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "build exits 0"; else fail "build exits 0" "exit $rc"; cat "$TMP/build.log"; fi
pub="$site/public"

check "article page at the Hexo permalink" test -f "$pub/$art"
check "article keeps its three <img> tags unchanged" bash -c "
  grep -qF '<img src=\"/images/tcp-establishment-4-packets.png\" title=\"tcp establishment with four packets\" width=\"600px\" height=\"400px\">' '$pub/$art' &&
  grep -qF '<img src=\"/images/tcp-establishment-3-packets.png\" title=\"tcp establishment with three packets\" width=\"600px\" height=\"400px\">' '$pub/$art' &&
  grep -qF '<img src=\"/images/tcp-termination.png\" title=\"tcp termination\" width=\"800px\" height=\"600px\">' '$pub/$art'"
check "article text is rendered" grep -q 'the server can also send data to the client' "$pub/$art"
check "headings get ids" grep -q '<h3 id="tcp-connection-establishment">' "$pub/$art"
check "tags: TCP, IP makes two tags" bash -c "grep -q 'why-tcp-connection' '$pub/tags/tcp/index.html' && grep -q 'why-tcp-connection' '$pub/tags/ip/index.html' && test ! -e '$pub/tags/tcp-ip'"
check "home, archives, tags index, 404, about" bash -c "cd '$pub' && test -f index.html -a -f archives/index.html -a -f tags/index.html -a -f 404.html -a -f about/index.html -a -f robots.txt -a -f css/style.css"
check "atom.xml is well-formed and names the article" bash -c "xmllint --noout '$pub/atom.xml' && grep -q 'https://example.org/2019/07/14/why-tcp-connection-termination-needs-four-way-handshake/' '$pub/atom.xml'"
check "atom.xml updated comes from the newest post" grep -q '<updated>2019-07-14T16:34:58+08:00</updated>' "$pub/atom.xml"
if /usr/bin/python3 -c 'import feedparser' 2>/dev/null; then
  check "atom.xml parses without the bozo flag" /usr/bin/python3 -c "
import feedparser, sys
f = feedparser.parse('$pub/atom.xml')
sys.exit(1 if f.bozo or len(f.entries) < 1 else 0)"
fi
check "sitemap.xml is well-formed and lists the article" bash -c "xmllint --noout '$pub/sitemap.xml' && grep -q '<loc>https://example.org/2019/07/14/why-tcp' '$pub/sitemap.xml'"
check "sitemap.xml gives the article's date as its lastmod" grep -q '<loc>https://example.org/2019/07/14/why-tcp-connection-termination-needs-four-way-handshake/</loc><lastmod>2019-07-14</lastmod></url>' "$pub/sitemap.xml"
check "no temporary folder left beside public/" bash -c "! ls -d '$site'/public.tmp-* 2>/dev/null"

# reproducible: two builds into different folders are byte-identical,
# whatever the clock says
"$BLOG" build --site "$site" --out "$TMP/out1" --quiet >/dev/null 2>&1
sleep 1
touch "$site"/content/posts/*.md
TZ=America/New_York "$BLOG" build --site "$site" --out "$TMP/out2" --quiet >/dev/null 2>&1
check "two builds are byte-identical" diff -r "$TMP/out1" "$TMP/out2"

# a bad date fails with path:line:col and leaves public/ as it was
snap() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
snap "$pub" >"$TMP/before"
cat >"$site/content/posts/bad-date.md" <<'MD'
---
title: Bad date
date: 2019-13-45
---
text
MD
"$BLOG" build --site "$site" >"$TMP/err" 2>&1
rc=$?
check "impossible date exits 1" test $rc -eq 1
check "impossible date error has path:line:col" grep -qF "$site/content/posts/bad-date.md:3:7: error: impossible date '2019-13-45': there is no month 13; months are 1 to 12" "$TMP/err"
snap "$pub" >"$TMP/after"
check "public/ is byte-identical after a failed build" cmp "$TMP/before" "$TMP/after"
rm "$site/content/posts/bad-date.md"

# every error of a build is reported, not only the first
cat >"$site/content/posts/e1.md" <<'MD'
---
title: a: b
---
MD
cat >"$site/content/posts/e2.md" <<'MD'
---
tags: {a: 1}
---
MD
"$BLOG" check --site "$site" >"$TMP/err" 2>&1
check "check reports all errors" bash -c "grep -q 'e1.md:2:9: error' '$TMP/err' && grep -q 'e2.md:2:1: error' '$TMP/err'"
rm "$site"/content/posts/e[12].md

# two posts with one permalink
printf -- '---\ntitle: One\ndate: 2020-01-01\npermalink: same/\n---\nx\n' >"$site/content/posts/p1.md"
printf -- '---\ntitle: Two\ndate: 2020-01-02\npermalink: same/\n---\nx\n' >"$site/content/posts/p2.md"
"$BLOG" check --site "$site" >"$TMP/err" 2>&1
check "clashing permalinks are an error" grep -q "p2.md:4:12: error: permalink '/same/' is also used by .*p1.md" "$TMP/err"
rm "$site"/content/posts/p[12].md

# drafts are skipped unless --drafts
printf -- '---\ntitle: Draft\ndate: 2020-01-01\ndraft: true\n---\nx\n' >"$site/content/posts/draft.md"
"$BLOG" build --site "$site" --out "$TMP/nodraft" --quiet >/dev/null 2>&1
"$BLOG" build --site "$site" --out "$TMP/draft" --drafts --quiet >/dev/null 2>&1
check "drafts are skipped by default" test ! -e "$TMP/nodraft/2020/01/01/draft/index.html"
check "--drafts renders them" test -f "$TMP/draft/2020/01/01/draft/index.html"
rm "$site/content/posts/draft.md"

# a base_url with a path: every generated link works under it
sed -i 's|^base_url:.*|base_url: https://example.org/blog/|' "$site/site.yaml"
"$BLOG" build --site "$site" --out "$TMP/sub" --quiet >/dev/null 2>&1
check "base_url path prefixes generated links" grep -q 'href="/blog/css/style.css"' "$TMP/sub/index.html"
check "base_url path prefixes links in posts" grep -qF '<img src="/blog/images/tcp-termination.png"' "$TMP/sub/$art"
check "no link outside the base path" bash -c "! grep -rhoE '(href|src)=\"/[^\"]*\"' '$TMP/sub' --include='*.html' | grep -v '=\"/blog/'"
sed -i 's|^base_url:.*|base_url: https://example.org/|' "$site/site.yaml"

# missing site.yaml key, unknown template
sed -i '/^base_url:/d' "$site/site.yaml"
"$BLOG" check --site "$site" >"$TMP/err" 2>&1
check "missing base_url is an error" grep -q "site.yaml:1:1: error: 'base_url' is missing" "$TMP/err"
echo 'base_url: https://example.org/' >>"$site/site.yaml"
printf -- '---\ntitle: L\ndate: 2020-01-01\nlayout: fancy\n---\nx\n' >"$site/content/posts/l.md"
"$BLOG" check --site "$site" >"$TMP/err" 2>&1
check "unknown layout is an error" grep -q "l.md:4:9: error: unknown layout 'fancy'" "$TMP/err"
rm "$site/content/posts/l.md"

# a link to a missing image fails the build and names the scenario
printf -- '---\ntitle: I\ndate: 2020-01-01\n---\n\n<img src="/images/nothing.png">\n' >"$site/content/posts/img.md"
"$BLOG" check --site "$site" >"$TMP/err" 2>&1
rc=$?
check "missing image is an error" grep -qF 'img.md:6: error: <img src="/images/nothing.png"> names no file; no scenario content/diagrams/nothing.yaml' "$TMP/err"
check "missing image exits 1" test $rc -eq 1
"$BLOG" check --site "$site" --link-check=warn >"$TMP/err" 2>&1
check "--link-check=warn builds anyway" test $? -eq 0
rm "$site/content/posts/img.md"

# Hexo tag plugins
printf -- '---\ntitle: K\ndate: 2020-01-01\n---\n\n{%% katex %%}x^2{%% endkatex %%}\n\n{%% raw %%}<b>*kept*</b>{%% endraw %%}\n' >"$site/content/posts/k.md"
"$BLOG" build --site "$site" --out "$TMP/k" >"$TMP/err" 2>&1
check "unknown Hexo tag is a warning" grep -q "k.md:6:1: warning: Hexo tag plugin 'katex' is not supported; left as text" "$TMP/err"
check "{% raw %} passes through untouched" grep -qF '<b>*kept*</b>' "$TMP/k/2020/01/01/k/index.html"
rm "$site/content/posts/k.md"

# blog new
"$BLOG" new --site "$site" --date "2021-02-03 04:05:06" "Half-close: FIN, then data" >"$TMP/new" 2>&1
check "new creates the post" grep -q 'title: "Half-close: FIN, then data"' "$site/content/posts/half-close-fin-then-data.md"
"$BLOG" new --site "$site" "Half-close: FIN, then data" >/dev/null 2>&1
check "new refuses to overwrite" test $? -eq 1

# usage errors
"$BLOG" build --bogus >/dev/null 2>&1
check "unknown option exits 2" test $? -eq 2
check "--version" bash -c "'$BLOG' --version | grep -q '^blog '"
check "build --help" bash -c "'$BLOG' build --help | grep -q 'usage: blog build'"

# threads: the output and the messages are the same for any number of them
thr="$TMP/threads"
corpus_site "$thr" 120
for j in 1 2 5; do
  BLOG_JOBS=$j "$BLOG" build --site "$thr" --out "$TMP/thr-$j" --full >/dev/null 2>"$TMP/thr-$j.err"
done
check "the output is byte-identical with 1, 2 and 5 threads" \
  bash -c "diff -r '$TMP/thr-1' '$TMP/thr-2' && diff -r '$TMP/thr-1' '$TMP/thr-5'"
check "the messages are the same, in the same order, with 1, 2 and 5 threads" \
  bash -c "test -s '$TMP/thr-1.err' && cmp '$TMP/thr-1.err' '$TMP/thr-2.err' && cmp '$TMP/thr-1.err' '$TMP/thr-5.err'"

# order: newest first (a date before 1970 too), equal dates by file name
ord="$TMP/order"
mkdir -p "$ord/content/posts"
cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/assets" "$ord/"
mkpost() { printf -- '---\ntitle: Post %s\ndate: %s\n---\nBody of %s.\n' "$1" "$2" "$1" >"$ord/content/posts/$1.md"; }
mkpost zeta "2019-1-1 10:00:00"
mkpost alpha "2019-1-1 10:00:00"
mkpost old "1969-12-31 23:00:00"
mkpost new "2020-5-5 08:00:00"
mkpost beta "2019-1-1 10:00:00"
mkpost mid "2019-1-1 09:59:59"
# walked before tie-b.md ("tie" < "tie-b.md"), named after it ('-' < '/')
mkdir -p "$ord/content/posts/tie"
printf -- '---\ntitle: Post tiefolder\ndate: 2019-1-1 10:00:00\n---\nBody.\n' >"$ord/content/posts/tie/index.md"
printf -- '---\ntitle: Post tieb\ndate: 2019-1-1 10:00:00\n---\nBody.\n' >"$ord/content/posts/tie-b.md"
"$BLOG" build --site "$ord" --quiet >"$TMP/order.log" 2>&1
check "sitemap.xml gives a 1969 post's date and a 2020 one's" bash -c "grep -q '/old/</loc><lastmod>1969-12-31</lastmod>' '$ord/public/sitemap.xml' && grep -q '/new/</loc><lastmod>2020-05-05</lastmod>' '$ord/public/sitemap.xml'"
check "posts newest first, equal dates by file name, 1969 last" \
  bash -c "test \"\$(grep -o 'Post [a-z]*' '$ord/public/index.html' | uniq | tr '\n' ' ')\" = 'Post new Post alpha Post beta Post tieb Post tiefolder Post zeta Post mid Post old '"
