#!/usr/bin/env bash
# `blog build` puts malloc's memory in huge pages (src/hugepages.h): a
# cold build, a no-op and an edit build, and the thread that reads the
# last build's state; BLOG_HUGEPAGES=0 turns it off, and so does glibc's
# own way when asked for; the output is the same either way.
. "$(dirname "$0")/lib.sh"

S="$TMP/site"
corpus_site "$S" 1000
# the first and last "huge pages" lines of BLOG_PROFILE: on/off, heaps
huge() {
  BLOG_PROFILE=1 BLOG_JOBS=2 "$BLOG" build --site "$S" --quiet "$@" 2>&1 >/dev/null |
    sed -n 's/^profile: huge pages //p' | sed -n '1p;$p' | tr '\n' ' '
}
# "on" where huge pages can be had: glibc's malloc (not a sanitizer's)
# and a kernel that gives them on request or to all
want=on
grep -qE '\[(madvise|always)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || want=off
[ "$BUILD" = build-asan ] && want=off

got=$(huge)
check "a cold build puts its memory in huge pages ($want): $got" \
  grep -q "^$want, 0 thread heaps $want, " <<<"$got"
if [ "$want" = on ]; then
  check "its rendering thread's heap is in huge pages: $got" \
    grep -qE ' on, [1-9][0-9]* thread heaps $' <<<"$got"
fi
# the thread that reads the last build's state has a heap of its own
heaps=" [1-9][0-9]* thread heaps $"; [ "$want" = on ] || heaps=" 0 thread heaps $"
got=$(huge)
check "a no-op build too ($want): $got" grep -qE "^$want, 0 thread heaps $want,$heaps" <<<"$got"
f=$(ls "$S"/content/posts/*.md | sed -n 2p)
printf '\nOne more line.\n' >>"$f"
got=$(huge)
check "an edit build too ($want): $got" grep -qE "^$want, 0 thread heaps $want,$heaps" <<<"$got"
got=$(huge --full)
check "a --full build does ($want): $got" grep -q "^$want, " <<<"$got"
cp -r "$S/public" "$TMP/huge"
got=$(BLOG_HUGEPAGES=0 huge --full)
check "BLOG_HUGEPAGES=0 turns it off: $got" grep -q '^off, 0 thread heaps off, 0' <<<"$got"
got=$(GLIBC_TUNABLES=glibc.malloc.hugetlb=2 huge --full)
check "glibc's own huge pages, when asked for, are left as they are: $got" \
  grep -q '^off, 0 thread heaps off, 0' <<<"$got"

# the same bytes with and without (the last build was without)
check "the same output with and without huge pages" diff -r "$TMP/huge" "$S/public"

# what they are for: fewer page faults (a count, not a time; at 1 000
# posts 300-500 against 4 300, most of the 300 the program's loading)
# (where the kernel gives huge pages to all, "always", the break gets
# some without the advice: the count is compared on request only)
if [ "$want" = on ] && [ -x /usr/bin/time ] &&
   grep -q '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled; then
  faults() {
    rm -rf "$S/public" "$S/.public.blog"
    /usr/bin/time -f '%R' -o "$TMP/faults" env "$@" BLOG_JOBS=2 "$BLOG" build --site "$S" --quiet >/dev/null 2>&1
    cat "$TMP/faults"
  }
  with=$(faults X=1); without=$(faults BLOG_HUGEPAGES=0)
  check "a cold build takes fewer page faults: $with with huge pages, $without without" \
    test "$((3 * with))" -lt "$without"
fi
