#!/usr/bin/env bash
# tests/bench/build.sh [N...]       (default: 100 1000)
#
# Builds the generated corpus (../shared/bench/gen-corpus.sh, seed 20190714)
# with build/blog, Hugo (Debian package) and Hexo (npm, the site in
# ../shared/bench/hexo-site), alternating the runs, and prints for each the
# median wall time, user+sys CPU and peak RSS (GNU time -v), and the ratios.
# Also: the cmark floor (tests/bench/floor.c), a no-op rebuild and a rebuild
# after editing one post.  Prints figures; asserts nothing.
#
# Environment: REPS=3 (runs per tool), EDITS=11 (no-op and edit builds:
# a few milliseconds each, where this machine's noise is as large),
# WORK=/tmp/blog-bench
# (WORK=/dev/shm/... for a file system in memory), SKIP_HEXO=1,
# SKIP_HUGO=1, TAGS_N=1000 (posts for the many-tags run; 0: none).
#
# Cold builds start with no output, but the previous output is moved aside
# (into $WORK/trash, removed at the end), not deleted just before: on ext4
# without a journal (this machine's root), every new inode is checked
# against the inodes freed in the last 60-300 s (recently_deleted() in
# fs/ext4/ialloc.c), and after an `rm -rf` of a 14 000-file site that
# check took 60 % of a build's time, for every tool.  RM_BEFORE=1 deletes
# instead, to see it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
WORK=${WORK:-/tmp/blog-bench}
REPS=${REPS:-3}
SEED=20190714
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100 1000)
kinds=()
TIME=/usr/bin/time

need() { command -v "$1" >/dev/null 2>&1 || { echo "bench: installing $2" >&2; apt-get install -y -qq "$2" >/dev/null; }; }
[ -x $TIME ] || need time time
[ "${SKIP_HUGO:-0}" = 1 ] || need hugo hugo
make -s -j2 build/blog >/dev/null
mkdir -p "$WORK/logs" "$WORK/trash"
cc -O2 -o "$WORK/floor" tests/bench/floor.c $(pkg-config --cflags --libs libcmark) -lpthread

# aside PATH...: moves what exists out of the way, to be removed at the end
aside_n=0
aside() {
  local p
  for p in "$@"; do
    [ -e "$p" ] || [ -L "$p" ] || continue
    if [ "${RM_BEFORE:-0}" = 1 ]; then rm -rf "$p"; continue; fi
    aside_n=$((aside_n + 1)); mv "$p" "$WORK/trash/$$-$aside_n"
  done
}
# (removed in the background at the end: on a slow disk that takes minutes)
trap '(nice -n 19 rm -rf "$WORK/trash" &)' EXIT

HEXO_DIR="$WORK/hexo-site"
if [ "${SKIP_HEXO:-0}" != 1 ] && [ ! -x "$HEXO_DIR/node_modules/.bin/hexo" ]; then
  rm -rf "$HEXO_DIR"; mkdir -p "$HEXO_DIR"
  cp -r "$SHARED/hexo-site/." "$HEXO_DIR/"
  (cd "$HEXO_DIR" && npm ci --no-audit --no-fund >"$WORK/logs/npm.log" 2>&1) ||
    { echo "bench: npm ci failed; Hexo skipped (see $WORK/logs/npm.log)" >&2; SKIP_HEXO=1; }
fi

# GNU time -v -> "wall cpu rss_mib"; a wall time in nanoseconds as $2
# replaces time's, which has 10 ms steps
parse() {
  awk -F': ' -v ns="${2:-}" '
    /Elapsed \(wall clock\)/ { n = split($2, a, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + a[i] }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
    END { if (ns != "") w = ns / 1e9; printf "%.3f %.3f %.1f\n", w, u + s, r / 1024 }' "$1"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# run TOOL N REP CMD... : times one run, appends "wall cpu rss" to $WORK/res-TOOL-N
# (after a sync, so that no run waits for the writing back of another's files)
run() {
  local tool=$1 n=$2 rep=$3; shift 3
  sync
  local log="$WORK/logs/$tool-$n-$rep.time" t0 t1
  # the shell's clock, not date(1): two fewer processes inside the
  # measurement (what is left, starting GNU time, is about 3 ms)
  t0=${EPOCHREALTIME/[.,]/}
  $TIME -v -o "$log" "$@" >"$WORK/logs/$tool-$n-$rep.out" 2>&1 || echo "bench: $tool run failed (see $WORK/logs/$tool-$n-$rep.out)" >&2
  t1=${EPOCHREALTIME/[.,]/}
  parse "$log" $(((t1 - t0) * 1000)) >>"$WORK/res-$tool-$n"
}
col() { awk -v c="$1" '{ print $c }' "$2" | median; }

echo "# $(date -u +%Y-%m-%d)  $(nproc) cores  $(df -T "$WORK" | awk 'NR == 2 { print $2 }') at $WORK  $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)  blog $(build/blog --version | cut -d' ' -f2)  $(command -v hugo >/dev/null && hugo version | cut -d' ' -f2 || echo 'no hugo')"
printf '| posts | tool | wall s (median of %d) | user+sys s | peak RSS MiB | vs blog: wall | vs blog: RSS |\n' "$REPS"
echo "|------:|------|------:|------:|------:|------:|------:|"
for N in "${SIZES[@]}"; do
  C="$WORK/corpus-$N"
  [ -d "$C" ] || "$SHARED/gen-corpus.sh" "$N" "$C" "$SEED" >/dev/null
  S="$WORK/blog-$N"; aside "$S"; mkdir -p "$S/content/posts"
  cp -r templates assets "$S/"
  sed 's/^link_check:.*/link_check: warn/' site.yaml >"$S/site.yaml"
  cp "$C"/hexo/*.md "$S/content/posts/"
  H="$WORK/hugo-$N"; aside "$H"; mkdir -p "$H/content/posts"
  cp -r "$SHARED/hugo-site/config.toml" "$SHARED/hugo-site/layouts" "$H/"
  cp "$C"/hugo/*.md "$H/content/posts/"
  X="$WORK/hexo-$N"
  if [ "${SKIP_HEXO:-0}" != 1 ]; then
    aside "$X"; mkdir -p "$X"
    (cd "$HEXO_DIR" && cp -r _config.yml package.json scaffolds themes source "$X/")
    ln -s "$HEXO_DIR/node_modules" "$X/node_modules"
    rm -f "$X"/source/_posts/.gitkeep; cp "$C"/hexo/*.md "$X/source/_posts/"
  fi
  rm -f "$WORK"/res-*-"$N"
  for r in $(seq 1 "$REPS"); do
    aside "$S/public" "$S/.public.blog"; run blog "$N" "$r" build/blog build --site "$S" --quiet
    if [ "${SKIP_HUGO:-0}" != 1 ]; then
      aside "$H/public" "$H/resources" "$H/.hugo_build.lock"
      run hugo "$N" "$r" hugo --quiet --source "$H" --destination public
    fi
    if [ "${SKIP_HEXO:-0}" != 1 ] && [ "$r" -eq 1 -o "$N" -le 1000 ]; then
      aside "$X/public" "$X/db.json"
      run hexo "$N" "$r" bash -c "cd '$X' && ./node_modules/.bin/hexo generate --silent"
    fi
    # the floor writes the bytes blog just wrote; it times itself, without
    # the reading of that tree, and prints GNU time's lines
    aside "$WORK/floor-out"; mkdir -p "$WORK/floor-out"; sync
    "$WORK/floor" "$WORK/floor-out" "$S/public" "$S"/content/posts/*.md \
      >"$WORK/logs/floor-$N-$r.time"
    parse "$WORK/logs/floor-$N-$r.time" >>"$WORK/res-floor-$N"
  done
  # rebuilds: one post edited (the first edit after a cold build also
  # fills the second generation: edit1, apart), then EDITS times an edit
  # and a build with nothing changed, in turn: this machine has spells of
  # some seconds where a build of a few milliseconds takes twice as long,
  # and both kinds meet them alike
  f=$(ls "$S"/content/posts/*.md | sed -n 2p)
  printf '\nEdited first.\n' >>"$f"
  run edit1 "$N" 1 build/blog build --site "$S" --quiet
  for r in $(seq 1 "${EDITS:-11}"); do
    printf '\nEdited in run %s.\n' "$r" >>"$f"
    run edit "$N" "$r" build/blog build --site "$S" --quiet
    run noop "$N" "$r" build/blog build --site "$S" --quiet
  done
  # which kind of build those were (one more, with its phases printed):
  # an edit below the excerpt is a quick build (docs/performance.md)
  printf '\nEdited once more.\n' >>"$f"
  # (the output kept first: `| grep -q` would stop reading at the line,
  # and the build's next line could then end it by SIGPIPE)
  prof=$(BLOG_PROFILE=1 build/blog build --site "$S" --quiet 2>&1 || true)
  if grep -q '^profile: quick ' <<<"$prof"; then
    kinds+=("$N: quick"); else kinds+=("$N: not quick"); fi
  # what starting a process under GNU time costs, in every figure above
  for r in $(seq 1 "$REPS"); do
    run start "$N" "$r" /bin/true
  done
  bw=$(col 1 "$WORK/res-blog-$N"); br=$(col 3 "$WORK/res-blog-$N")
  # floor+start: the floor times itself inside its process, every other
  # row from outside, starting a process under GNU time (the start row):
  # the floor with that added compares with them like for like
  paste -d' ' "$WORK/res-floor-$N" <(for _ in $(seq 1 "$REPS"); do col 1 "$WORK/res-start-$N"; done) |
    awk '{ printf "%.3f %s %s\n", $1 + $4, $2, $3 }' >"$WORK/res-floor+start-$N"
  for tool in blog hugo hexo floor floor+start noop edit1 edit start; do
    [ -f "$WORK/res-$tool-$N" ] || continue
    w=$(col 1 "$WORK/res-$tool-$N"); c=$(col 2 "$WORK/res-$tool-$N"); m=$(col 3 "$WORK/res-$tool-$N")
    printf '| %s | %s | %.3f | %.2f | %.0f | %.2f× | %.2f× |\n' "$N" "$tool" "$w" "$c" "$m" \
      "$(awk -v a="$w" -v b="$bw" 'BEGIN { print a / b }')" "$(awk -v a="$m" -v b="$br" 'BEGIN { print a / b }')"
  done
done
# Many distinct tags: the same TAGS_N posts, each with five tags of its own
# (5 x TAGS_N distinct tags, one page each), against the corpus as it is.
TAGS_N=${TAGS_N:-1000}
if [ "$TAGS_N" -gt 0 ]; then
  C="$WORK/corpus-$TAGS_N"
  [ -d "$C" ] || "$SHARED/gen-corpus.sh" "$TAGS_N" "$C" "$SEED" >/dev/null
  retag() { # DIR_IN DIR_OUT: five tags of its own per post
    mkdir -p "$2"
    for f in "$1"/*.md; do
      awk -v id="$(basename "$f" .md)" '
        /^tags:/ { print "tags:"; for (i = 0; i < 5; i++) print "  - " id "-t" i; skip = 1; next }
        skip && /^  - / { next }
        { skip = 0; print }' "$f" >"$2/$(basename "$f")"
    done
  }
  S="$WORK/blog-tags"; aside "$S"; mkdir -p "$S"
  cp -r templates assets "$S/"; sed 's/^link_check:.*/link_check: warn/' site.yaml >"$S/site.yaml"
  retag "$C/hexo" "$S/content/posts"
  H="$WORK/hugo-tags"; aside "$H"; mkdir -p "$H/content"
  cp -r "$SHARED/hugo-site/config.toml" "$SHARED/hugo-site/layouts" "$H/"
  retag "$C/hugo" "$H/content/posts"
  rm -f "$WORK"/res-*-tags
  for r in $(seq 1 "$REPS"); do
    aside "$S/public" "$S/.public.blog"; run blog tags "$r" build/blog build --site "$S" --quiet
    if [ "${SKIP_HUGO:-0}" != 1 ]; then
      aside "$H/public" "$H/resources" "$H/.hugo_build.lock"
      run hugo tags "$r" hugo --quiet --source "$H" --destination public
    fi
  done
  echo
  echo "| $TAGS_N posts | tags | wall s | vs the same posts with the corpus's tags |"
  echo "|---|---:|---:|---:|"
  for tool in blog hugo; do
    [ -f "$WORK/res-$tool-tags" ] && [ -f "$WORK/res-$tool-$TAGS_N" ] || continue
    w=$(col 1 "$WORK/res-$tool-tags"); b=$(col 1 "$WORK/res-$tool-$TAGS_N")
    printf '| %s | %d distinct | %.3f | %.2f× |\n' "$tool" $((5 * TAGS_N)) "$w" "$(awk -v a="$w" -v b="$b" 'BEGIN { print a / b }')"
  done
fi
echo "# the edit builds were: ${kinds[*]:-none}"
echo "# floor: cmark parse+render of the same posts and writing the bytes blog wrote, two threads (tests/bench/floor.c), timed inside its process; floor+start: the floor plus the start row, as the other rows are timed; noop: rebuild with nothing changed (median of EDITS); edit: rebuild after appending a line to one post (median of EDITS); edit1: the first such rebuild after a cold build, which also fills the second generation; start: GNU time running /bin/true, the cost of starting a process that every row includes"
echo "# logs: $WORK/logs"
