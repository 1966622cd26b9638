#!/usr/bin/env bash
# tests/bench/serve.sh [N]     (default N=100 posts)
#
# Requests per second of the preview server under load, side by side:
# `blog serve`, `python3 -m http.server` on the same public/ folder, and
# `hugo server` on the same corpus (Hugo's own site).  wrk: 10 s, 64
# connections, 2 threads, on the home page and on a post.  Also the
# server's RSS before and after (it must not grow) and wrk's error count.
# Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
WORK=${WORK:-/tmp/blog-bench-serve}
N=${1:-100}
DUR=${DUR:-10}
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v hugo >/dev/null || apt-get install -y -qq hugo >/dev/null
make -s -j2 build/blog >/dev/null
rm -rf "$WORK"; mkdir -p "$WORK"
"$SHARED/gen-corpus.sh" "$N" "$WORK/corpus" 20190714 >/dev/null
S="$WORK/blog"; mkdir -p "$S/content/posts"
cp -r templates assets "$S/"
sed 's/^link_check:.*/link_check: warn/' site.yaml >"$S/site.yaml"
cp "$WORK"/corpus/hexo/*.md "$S/content/posts/"
H="$WORK/hugo"; mkdir -p "$H/content/posts"
cp -r "$SHARED/hugo-site/config.toml" "$SHARED/hugo-site/layouts" "$H/"
cp "$WORK"/corpus/hugo/*.md "$H/content/posts/"

port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }
rss() { awk '/VmRSS/ { print $2 / 1024 }' "/proc/$1/status"; }
# bench NAME PID URL: one wrk run; prints a table row
bench() {
  local name=$1 pid=$2 url=$3 before after out
  before=$(rss "$pid")
  out=$(wrk -t2 -c64 -d"${DUR}s" --latency "$url" 2>&1)
  after=$(rss "$pid")
  local rps errs lat
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  errs=$(awk '/Socket errors/ { e = $4 + $6 + $8 + $10 } /Non-2xx/ { e += $NF } END { print e + 0 }' <<<"$out")
  lat=$(awk '/ 99%/ { print $2 }' <<<"$out")
  printf '| %s | %s | %s | %s | %.1f → %.1f |\n' "$name" "${url#http://127.0.0.1:*/}" "$rps" "$errs" "$before" "$after"
  echo "$lat" >/dev/null
}

echo "# $(date -u +%Y-%m-%d)  $(nproc) cores  $N posts  wrk -t2 -c64 -d${DUR}s"
echo "| server | path | requests/s | errors | RSS MiB before → after |"
echo "|---|---|---:|---:|---:|"
P=$(port)
build/blog serve --site "$S" --port "$P" >"$WORK/blog.log" 2>&1 &
BP=$!
trap 'kill $BP ${PP:-} ${HP:-} 2>/dev/null || true' EXIT
wait_up "http://127.0.0.1:$P/"
post=$(cd "$S/public" && ls -d 20*/*/*/*/ | head -1)
bench "blog serve" $BP "http://127.0.0.1:$P/"
bench "blog serve" $BP "http://127.0.0.1:$P/$post"
bench "blog serve" $BP "http://127.0.0.1:$P/css/style.css"

P2=$(port)
(cd "$S/public" && exec /usr/bin/python3 -m http.server "$P2" --bind 127.0.0.1) >"$WORK/py.log" 2>&1 &
PP=$!
wait_up "http://127.0.0.1:$P2/"
bench "python3 -m http.server" $PP "http://127.0.0.1:$P2/"
bench "python3 -m http.server" $PP "http://127.0.0.1:$P2/$post"

P3=$(port)
hugo server --source "$H" --port "$P3" --bind 127.0.0.1 --disableFastRender >"$WORK/hugo.log" 2>&1 &
HP=$!
wait_up "http://127.0.0.1:$P3/"
hpost=$(curl -s "http://127.0.0.1:$P3/" | grep -o 'href="/20[0-9/]*[a-z0-9-]*/"' | head -1 | sed 's/href="\///; s/"$//' || true)
bench "hugo server" $HP "http://127.0.0.1:$P3/"
bench "hugo server" $HP "http://127.0.0.1:$P3/$hpost"
kill -INT $BP; wait $BP 2>/dev/null || true
echo "# logs: $WORK"
