#!/usr/bin/env bash
# Incremental builds: after each change to a site (posts edited, retitled,
# redated, added, renamed, deleted, drafted; tags and categories; pages;
# scenarios; templates; site.yaml; assets; a failed build and its fix),
# `blog build` must give exactly what `blog build --full` gives on a copy
# of the same sources, and a build with nothing changed must write nothing.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S="$TMP/s"
mkdir -p "$S"
cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/templates" "$ROOT/assets" "$S/"
sed -i 's/^link_check:.*/link_check: warn/' "$S/site.yaml"
bash "$ROOT/../shared/bench/gen-corpus.sh" 30 "$TMP/corpus" 20190714 >/dev/null 2>&1
cp "$TMP"/corpus/hexo/*.md "$S/content/posts/"

tick=100
bump() { tick=$((tick + 1)); touch -d "@$((EPOCHSECONDS + tick))" "$@"; }
nth() { ls "$S"/content/posts/*.md | sed -n "${1}p"; }

# same_as_full NAME: the incremental build equals a full build of a copy;
# $quick says whether it was a quick build (BLOG_PROFILE's phases)
same_as_full() {
  local name="$1" R="$TMP/ref"
  rm -rf "$R"; mkdir -p "$R"
  cp -r "$S/site.yaml" "$S/content" "$S/templates" "$S/assets" "$R/"
  if ! BLOG_PROFILE=1 "$BLOG" build --site "$S" >"$TMP/inc.all" 2>&1; then
    fail "$name: the incremental build succeeds" "$(head -3 "$TMP/inc.all")"; return
  fi
  grep -v '^profile: ' "$TMP/inc.all" >"$TMP/inc.err"
  quick=no; grep -q '^profile: quick ' "$TMP/inc.all" && quick=yes
  "$BLOG" build --site "$R" --full >"$TMP/full.err" 2>&1
  if diff -r "$S/public" "$R/public" >"$TMP/diff" 2>&1; then
    ok "$name: the output equals a full build's"
  else
    fail "$name: the output equals a full build's" "$(head -5 "$TMP/diff")"
  fi
  # and it says what a full build says (the posts not read again too)
  sed "s|$R/|$S/|g" "$TMP/full.err" >"$TMP/full.said"
  if ! diff "$TMP/inc.err" "$TMP/full.said" >"$TMP/diff" 2>&1; then
    fail "$name: the messages are a full build's" "$(head -5 "$TMP/diff")"
  fi
}

# a draft: read, not built (the state records it all the same)
printf -- '---\ntitle: Not yet\ndate: 2020-1-1 10:00:00\ndraft: true\n---\nSoon.\n' \
  >"$S/content/posts/zz-draft.md"
check "the first build" "$BLOG" build --site "$S" 2>/dev/null
check "the state is kept beside the output" test -f "$S/.public.blog/state"
# the first build's scan stat()s no post or page (their reading does, and
# a draft's is stat()ed after): what it recorded of each lets the next
# build find nothing changed; the same after --full
unchanged() { BLOG_PROFILE=1 "$BLOG" build --site "$S" 2>&1 | grep -q '^profile: unchanged '; }
check "after the first build, one with nothing changed reads nothing" unchanged
"$BLOG" build --site "$S" --full 2>/dev/null
check "after a --full build too" unchanged
same_as_full "nothing changed"

post=$(nth 2); page=$(ls "$S"/public/*/*/*/*/index.html | head -1)
before=$(stat -c '%i %Y' "$S/public/index.html" "$S/public/atom.xml" "$page")
"$BLOG" build --site "$S" 2>/dev/null
check "a build with nothing changed rewrites no file" \
  test "$before" = "$(stat -c '%i %Y' "$S/public/index.html" "$S/public/atom.xml" "$page")"

printf '\nOne more paragraph.\n' >>"$post"; bump "$post"
same_as_full "a post's body edited"
# lists show a post's excerpt: a new first paragraph changes every list it
# is on; the oldest post edited below its excerpt changes its page alone
# (not the lists, the archive nor the feed, which are then not rendered)
ex=$(nth 3)
awk 'n == 2 && !done { print "A new first paragraph.\n"; done = 1 }
     /^---$/ { n++ } { print }' "$ex" >"$TMP/ex" && cat "$TMP/ex" >"$ex"; bump "$ex"
same_as_full "a post's excerpt edited (the lists it is on show it)"
sed -i 's/^A new first paragraph\.$/A odd first paragraph./' "$ex"; bump "$ex"
same_as_full "a post's excerpt edited, its length the same"
old_post=$(nth 5)
sed -i 's/^date: .*/date: 2001-02-03 04:05:06/' "$old_post"; bump "$old_post"
same_as_full "a post redated to be the oldest"
printf '\nA last paragraph, below the excerpt.\n' >>"$old_post"; bump "$old_post"
same_as_full "the oldest post edited below its excerpt"
sed -i '/^updated:/d; 0,/^title:/s/^title:/updated: 2032-01-02 03:04:05\ntitle:/' "$old_post"
bump "$old_post"
same_as_full "a post's 'updated' changed (the sitemap and the feed show it)"
sed -i 's/^title: .*/title: "A title of its own"/' "$(nth 4)"; bump "$(nth 4)"
same_as_full "a post retitled (its neighbours link to it)"
sed -i 's/^date: .*/date: 2031-03-04 05:06:07/' "$(nth 6)"; bump "$(nth 6)"
same_as_full "a post redated (new place, new month in the archive)"
sed -i '/^tags:/,/^[a-z]*:/{/^  - /d}; s/^tags:.*/tags: [only-here]/' "$(nth 8)"; bump "$(nth 8)"
same_as_full "a post's tags replaced by a new tag"
check "the new tag has its page" test -f "$S/public/tags/only-here/index.html"
sed -i 's/^tags: \[only-here\]/tags: [TCP]/' "$(nth 8)"; bump "$(nth 8)"
same_as_full "the only use of a tag removed"
check "the tag's page is gone" test ! -e "$S/public/tags/only-here"
sed -i 's/^categories:.*/categories: [elsewhere]/' "$(nth 9)"; grep -q '^categories:' "$(nth 9)" ||
  sed -i '0,/^title:/s/^title:/categories: [elsewhere]\ntitle:/' "$(nth 9)"; bump "$(nth 9)"
same_as_full "a post's category changed"
printf -- '---\ntitle: Brand new\ndate: 2030-05-06 07:08:09\ntags: [TCP, fresh]\n---\nNew post.\n' >"$S/content/posts/brand-new.md"
same_as_full "a post added"
gone=$(nth 10)
rm "$gone"
same_as_full "a post deleted"
old=$(nth 12); mv "$old" "${old%.md}-moved.md"
same_as_full "a post renamed"
sed -i '0,/^title:/s/^title:/draft: true\ntitle:/' "$(nth 14)"; bump "$(nth 14)"
same_as_full "a post made a draft"
printf '\nEdited page.\n' >>"$S/content/pages/about.md" 2>/dev/null || true
bump "$S"/content/pages/*.md
same_as_full "a page edited"
printf -- '---\ntitle: Contact\n---\nWrite to us.\n' >"$S/content/pages/contact.md"
same_as_full "a page added"
scn=$(ls "$S"/content/diagrams/*.yaml | head -1)
sed -i 's/^title: .*/title: "Another title"/' "$scn"; bump "$scn"
same_as_full "a scenario edited"
cp "$scn" "$S/content/diagrams/extra.yaml"
same_as_full "a scenario added"
rm "$S/content/diagrams/extra.yaml"
same_as_full "a scenario deleted"
check "its pictures are gone" test ! -e "$S/public/images/extra.png"
printf '<!-- layout changed -->\n' >>"$S/templates/layout.html"; bump "$S/templates/layout.html"
same_as_full "a template edited (every page)"
sed -i 's/^title: .*/title: Another Blog/' "$S/site.yaml"; bump "$S/site.yaml"
same_as_full "site.yaml edited"
printf 'p { margin: 0 }\n' >"$S/assets/extra.css"
same_as_full "an asset added"
rm "$S/assets/extra.css"
same_as_full "an asset deleted"
bump "$(nth 3)"
same_as_full "a post touched, not changed"

# the link check: a post not read again says what its links said, and
# says it again differently when the files it links to come or go
lp=$(nth 7)
printf '\nSee [the notes](/notes.txt) and [an image](/images/late.png).\n' >>"$lp"; bump "$lp"
same_as_full "a post given two broken links"
said() { grep -c -e "(/notes.txt) names no file" -e "late.png\"*) names no file" "$TMP/inc.err"; }
check "the incremental build warns of them" test "$(said)" -eq 2
printf '\nAnother paragraph.\n' >>"$(nth 2)"; bump "$(nth 2)"
same_as_full "another post edited (the broken links are said again)"
check "the warnings are said again" test "$(said)" -eq 2
printf 'notes\n' >"$S/assets/notes.txt"
same_as_full "the file one of them names added"
check "one warning is left" test "$(said)" -eq 1
rm "$S/assets/notes.txt"
same_as_full "the file removed again"
check "both warnings are back" test "$(said)" -eq 2
sed -i '$d' "$lp"; bump "$lp"
same_as_full "the broken links removed"
# many posts link to /2019/07/14/earlier-post/, which no post is at
many() { grep -c "(/2019/07/14/earlier-post/) names no file" "$TMP/inc.err"; }
check "posts link to a page that is not there" test "$(many)" -gt 3
printf -- '---\ntitle: Earlier\ndate: 2019-07-14 08:00:00\n---\nThe post they link to.\n' \
  >"$S/content/posts/earlier-post.md"
same_as_full "the post many link to added"
check "their links warn no more" test "$(many)" -eq 0
rm "$S/content/posts/earlier-post.md"
same_as_full "that post deleted again"
check "their warnings are back" test "$(many)" -gt 3

# --quiet keeps no warnings: a build without it after one with it does not
# replay what that one kept, and says them all (and the other way round)
printf '\nQuietly.\n' >>"$(nth 2)"; bump "$(nth 2)"
"$BLOG" build --site "$S" --quiet >"$TMP/q.all" 2>&1
check "--quiet prints no warning" test "$(grep -c 'warning:' "$TMP/q.all")" -eq 0
"$BLOG" build --site "$S" >"$TMP/q.all" 2>&1
check "then without it, nothing changed: the warnings are said" \
  test "$(grep -c '(/2019/07/14/earlier-post/) names no file' "$TMP/q.all")" -gt 3
"$BLOG" build --site "$S" --quiet >"$TMP/q.all" 2>&1
check "then with it again: nothing said" test ! -s "$TMP/q.all"
same_as_full "after builds with and without --quiet"

# the posts' records: an edit appends one to the posts file, which is
# written anew when most of it is records no longer used; a posts file
# missing or cut short only means the posts are read again
P="$S/.public.blog"
posts_file() { ls "$P"/posts-* 2>/dev/null; }
before=$(stat -c %i "$(posts_file)")
printf '\nA small change.\n' >>"$(nth 3)"; bump "$(nth 3)"
same_as_full "a post edited (its record appended)"
check "the posts file was appended to, not written anew" test "$before" = "$(stat -c %i "$(posts_file)")"
long=$(nth 4)
for i in 1 2 3 4 5 6; do
  awk -v i="$i" 'n == 2 && !done { for (k = 0; k < 4000; k++) printf "w%d ", i; print "\n"; done = 1 }
       /^---$/ { n++ } { print }' "$long" >"$TMP/long" && cat "$TMP/long" >"$long"; bump "$long"
  "$BLOG" build --site "$S" >/dev/null 2>&1
done
same_as_full "a post's long excerpt edited six times"
check "one posts file is left" test "$(posts_file | wc -l)" -eq 1
ref_size=$(stat -c %s "$TMP"/ref/.public.blog/posts-*)
check "the posts file was written anew: at most twice what is used" \
  test "$(stat -c %s "$(posts_file)")" -le $((2 * ref_size + 65536))
rm "$(posts_file)"; printf '\nAgain.\n' >>"$(nth 5)"; bump "$(nth 5)"
same_as_full "the posts file removed"
truncate -s 100 "$(posts_file)"; printf '\nAgain.\n' >>"$(nth 5)"; bump "$(nth 5)"
same_as_full "the posts file cut short"

# quick builds: an edit of bodies alone (title, dates, url, tags, excerpt
# and messages as they were) renders only those pages (and the feed), and
# brings the files the last build changed into the second generation
body=$(nth 2)
printf '\nA paragraph below the excerpt.\n' >>"$body"; bump "$body"
same_as_full "a post's body edited (the second generation made again)"
check "the state was lost: no quick build" test "$quick" = no
for i in 1 2 3; do
  printf '\nA paragraph below the excerpt, %s.\n' "$i" >>"$body"; bump "$body"
  same_as_full "a post's body edited again ($i)"
  check "that build was a quick one ($i)" test "$quick" = yes
done
printf -- '---\ntitle: The newest\ndate: 2040-01-02 03:04:05\ntags: [TCP, Quick]\n---\nIts excerpt.\n\n<!-- more -->\n\nIts body.\n' \
  >"$S/content/posts/newest.md"
same_as_full "the newest post added"
check "a post added is no quick build" test "$quick" = no
printf '\nMore of its body.\n' >>"$S/content/posts/newest.md"; bump "$S/content/posts/newest.md"
same_as_full "the newest post's body edited (the feed shows it whole)"
check "the feed's post edited: a quick build" test "$quick" = yes
check "the feed has the edit" grep -q "More of its body" "$S/public/atom.xml"
cp "$body" "$TMP/body.bak"
printf '\nOne more, then taken back.\n' >>"$body"; bump "$body"
same_as_full "a post's body edited once more"
cp "$TMP/body.bak" "$body"; bump "$body"
same_as_full "that edit taken back (the second generation has the page)"
check "taking it back: a quick build" test "$quick" = yes
printf '\nTwo at once.\n' | tee -a "$(nth 3)" >>"$(nth 4)"; bump "$(nth 3)" "$(nth 4)"
same_as_full "two posts' bodies edited at once"
check "two at once: a quick build" test "$quick" = yes
printf '\nThe page again.\n' >>"$S/content/pages/contact.md"; bump "$S/content/pages/contact.md"
same_as_full "a page's body edited"
check "a page: a quick build" test "$quick" = yes
rm "$(nth 11)"
same_as_full "a post deleted before a quick build"
printf '\nAfter the deletion.\n' >>"$body"; bump "$body"
same_as_full "a post's body edited after the deletion (its files left the output)"
check "after a deletion: a quick build" test "$quick" = yes
printf 'p { padding: 0 }\n' >"$S/assets/quick.css"
same_as_full "an asset added before a quick build"
printf '\nAfter the asset.\n' >>"$body"; bump "$body"
same_as_full "a post's body edited after the asset"
check "after an asset added: a quick build" test "$quick" = yes
sed -i 's/^title: .*/title: "Retitled, not quick"/' "$body"; bump "$body"
same_as_full "a post retitled"
check "a retitle is no quick build" test "$quick" = no
awk 'n == 2 && !done { print "A new first paragraph, not quick.\n"; done = 1 }
     /^---$/ { n++ } { print }' "$body" >"$TMP/ex" && cat "$TMP/ex" >"$body"; bump "$body"
same_as_full "a post's excerpt edited"
check "an excerpt edited is no quick build" test "$quick" = no
printf '\nA [broken link](/no-such-file.txt).\n' >>"$body"; bump "$body"
same_as_full "a broken link added to a body"
check "a new message is no quick build" test "$quick" = no
printf '\nBelow the broken link.\n' >>"$body"; bump "$body"
same_as_full "a body edited below its broken link (said again as it was)"
check "the same message: a quick build" test "$quick" = yes
check "the broken link is said again" grep -q "no-such-file.txt) names no file" "$TMP/inc.err"
sed -i '0,/broken link/s/^A \[broken link\]/\nA [broken link]/' "$body"; bump "$body"
same_as_full "a body edited above its broken link (said on another line)"
check "a message on another line is no quick build" test "$quick" = no
# what the build said is kept in the posts file: the state holds no
# message, and a build that says the same again does not append it again
# (each edit appends the edited post's record, which has its own message)
said_in() { cat "$S"/.public.blog/posts-* | grep -c "no-such-file.txt) names no file"; }
check "the state file holds no message" bash -c "! grep -q 'names no file' '$S/.public.blog/state'"
kept_said=$(said_in)
for k in 1 2; do
  printf '\nBelow the broken link, %s.\n' "$k" >>"$body"; bump "$body"
  same_as_full "a body edited below its broken link again ($k)"
done
check "what was said is not appended again ($kept_said times before, $(said_in) after two records)" \
  test "$(said_in)" -eq $((kept_said + 2))

# a folder that has not changed for three seconds has its listing kept
# for the next build, which takes the names from there while the folder
# is as it was (state.h); a name added, removed or renamed is still seen
sleep 3.1
"$BLOG" build --site "$S" >/dev/null 2>&1
L="$S/.public.blog/listings"
check "the settled folders' listings are kept" grep -q "content/posts" "$L"
# an edit build keeps them too (when the file is gone, it lists anew)
rm "$L"
printf '\nEdited in place, the listings gone.\n' >>"$body"; bump "$body"
same_as_full "a post edited in place, the listings file removed"
check "the edit build kept the listings again" grep -q "content/posts" "$L"
kept=$(stat -c %i "$L")
printf '\nEdited in place.\n' >>"$body"; bump "$body"
same_as_full "a post edited in place (its folder's listing kept)"
check "the kept listings were taken: none listed again" test "$(stat -c %i "$L")" = "$kept"
printf -- '---\ntitle: After the listing\ndate: 2030-06-07 08:09:10\n---\nLate.\n' \
  >"$S/content/posts/after-the-listing.md"
rm "$(nth 3)"
old=$(nth 4); mv "$old" "${old%.md}-renamed.md"
same_as_full "posts added, deleted and renamed in a folder whose listing was kept"

# a failed build leaves public/ as it was; fixing it brings it back
cp -a "$S/public" "$TMP/before"
broken=$(nth 5); cp "$broken" "$TMP/broken.bak"
sed -i '0,/^title:/s/^title:.*/title: [/' "$broken"; bump "$broken"
"$BLOG" build --site "$S" >/dev/null 2>&1
check "a broken post fails the incremental build" test $? -eq 1
check "the failed build left public/ as it was" diff -r "$TMP/before" "$S/public"
cp "$TMP/broken.bak" "$broken"; bump "$broken"
same_as_full "the post fixed again"
same_as_full "nothing changed after all that"
check "no scratch folder is left" bash -c "! compgen -G '$S/public.tmp-*' >/dev/null"
