#!/usr/bin/env bash
# Prints figures, checks nothing: how long drawing the article's three
# sequence diagrams takes with `blog diagram` against mscgen and msc-gen
# (Debian packages mscgen and msc-generator) on equivalent inputs, as whole
# processes, median of N runs each; then what one 2x diagram costs inside a
# process (layout, paint, both PNG writers, SVG), from test_draw.
#
#   tests/bench/diagrams.sh [N]        N runs per measurement (default 20)
#   BUILD=build-x tests/bench/diagrams.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
BUILD="${BUILD:-build}"
N="${1:-20}"
BLOG="$ROOT/$BUILD/blog"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/blog-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

make -s BUILD="$BUILD" "$BUILD/blog" "$BUILD/test_draw" >/dev/null || exit 1

# median wall time in ms of N runs of a command
median_ms() {
  local i t0 t1
  for ((i = 0; i < N; i++)); do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000))
  done | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }'
}

# Equivalent inputs: the same peers, states, segments and labels.
cat >"$TMP/tcp-establishment-3-packets.msc" <<'M'
msc {
  client, server;
  client box client [label="CLOSED"], server box server [label="LISTEN"];
  client box client [label="SYN-SENT"];
  client =>> server [label="(1) SYN seq=1000"];
  server box server [label="SYN-RECEIVED"];
  server =>> client [label="(2) SYN, ACK seq=5000 ack=1001"];
  client box client [label="ESTABLISHED"];
  client =>> server [label="(3) ACK seq=1001 ack=5001"];
  server box server [label="ESTABLISHED"];
}
M
cat >"$TMP/tcp-establishment-4-packets.msc" <<'M'
msc {
  client, server;
  client box client [label="CLOSED"], server box server [label="LISTEN"];
  client box client [label="SYN-SENT"];
  client =>> server [label="(1) SYN seq=1000"];
  server box server [label="SYN-RECEIVED"];
  server =>> client [label="(2) ACK seq=5000 ack=1001"];
  server =>> client [label="(3) SYN seq=5000"];
  client box client [label="ESTABLISHED"];
  client =>> server [label="(4) ACK seq=1001 ack=5001"];
  server box server [label="ESTABLISHED"];
  --- [label="teaching variant: real TCP combines the ACK and the SYN"];
}
M
cat >"$TMP/tcp-termination.msc" <<'M'
msc {
  client, server;
  client box client [label="ESTABLISHED"], server box server [label="ESTABLISHED"];
  client box client [label="FIN-WAIT-1"];
  client =>> server [label="(1) FIN, ACK seq=1001 ack=5001"];
  server box server [label="CLOSE-WAIT"];
  server =>> client [label="(2) ACK seq=5001 ack=1002"];
  client box client [label="FIN-WAIT-2"];
  server box server [label="LAST-ACK"];
  server =>> client [label="(3) FIN, ACK seq=5001 ack=1002"];
  client box client [label="TIME-WAIT"];
  client =>> server [label="(4) ACK seq=1002 ack=5002"];
  server box server [label="CLOSED"];
  client note client [label="2MSL"];
  client box client [label="CLOSED"];
}
M
# msc-gen: the same, with slanted arrows and its own numbering.
sig_head='hscale=auto; numbering=yes; angle=10;
client, server;'
cat >"$TMP/tcp-establishment-3-packets.signalling" <<M
$sig_head
box client--client: CLOSED [number=no];
box server--server: LISTEN [number=no];
box client--client: SYN-SENT [number=no];
client->server: SYN seq=1000;
box server--server: SYN-RECEIVED [number=no];
server->client: SYN, ACK seq=5000 ack=1001;
box client--client: ESTABLISHED [number=no];
client->server: ACK seq=1001 ack=5001;
box server--server: ESTABLISHED [number=no];
M
cat >"$TMP/tcp-establishment-4-packets.signalling" <<M
$sig_head
box client--client: CLOSED [number=no];
box server--server: LISTEN [number=no];
box client--client: SYN-SENT [number=no];
client->server: SYN seq=1000;
box server--server: SYN-RECEIVED [number=no];
server->client: ACK seq=5000 ack=1001;
server->client: SYN seq=5000;
box client--client: ESTABLISHED [number=no];
client->server: ACK seq=1001 ack=5001;
box server--server: ESTABLISHED [number=no];
---: teaching variant: real TCP combines the ACK and the SYN;
M
cat >"$TMP/tcp-termination.signalling" <<M
$sig_head
box client--client: ESTABLISHED [number=no];
box server--server: ESTABLISHED [number=no];
box client--client: FIN-WAIT-1 [number=no];
client->server: FIN, ACK seq=1001 ack=5001;
box server--server: CLOSE-WAIT [number=no];
server->client: ACK seq=5001 ack=1002;
box client--client: FIN-WAIT-2 [number=no];
box server--server: LAST-ACK [number=no];
server->client: FIN, ACK seq=5001 ack=1002;
box client--client: TIME-WAIT [number=no];
client->server: ACK seq=1002 ack=5002;
box server--server: CLOSED [number=no];
box client--client: 2MSL [number=no];
box client--client: CLOSED [number=no];
M

have() { command -v "$1" >/dev/null 2>&1; }
ours_ok=false
for name in tcp-establishment-4-packets tcp-establishment-3-packets tcp-termination; do
  if [ -f "content/diagrams/$name.yaml" ] &&
     "$BLOG" diagram "content/diagrams/$name.yaml" -o "$TMP/$name.png" --scale 1 >/dev/null 2>&1; then
    ours_ok=true
  fi
done

echo "Whole process, median of $N runs, ms (1x PNG unless marked)"
printf '%-28s %9s %9s %9s %9s %9s %12s %12s\n' scenario ours ours-2x ours-svg mscgen msc-gen ours/mscgen ours/msc-gen
for name in tcp-establishment-4-packets tcp-establishment-3-packets tcp-termination; do
  o=- o2=- os=- m=- g=- r1=- r2=-
  if $ours_ok; then
    y="content/diagrams/$name.yaml"
    o=$(median_ms "$BLOG" diagram "$y" -o "$TMP/o.png" --scale 1)
    o2=$(median_ms "$BLOG" diagram "$y" -o "$TMP/o2.png" --scale 2)
    os=$(median_ms "$BLOG" diagram "$y" -o "$TMP/o.svg")
  fi
  have mscgen && m=$(median_ms mscgen -T png -o "$TMP/m.png" "$TMP/$name.msc")
  have msc-gen && g=$(median_ms msc-gen -T png -o "$TMP/g.png" "$TMP/$name.signalling")
  [ "$o" != - ] && [ "$m" != - ] && r1=$(awk -v a="$o" -v b="$m" 'BEGIN { printf "%.2f", a / b }')
  [ "$o" != - ] && [ "$g" != - ] && r2=$(awk -v a="$o" -v b="$g" 'BEGIN { printf "%.2f", a / b }')
  printf '%-28s %9s %9s %9s %9s %9s %12s %12s\n' "$name" "$o" "$o2" "$os" "$m" "$g" "$r1" "$r2"
done
$ours_ok || echo "(ours: 'blog diagram' cannot run content/diagrams/*.yaml in this build)"
have mscgen || echo "(mscgen not installed: apt-get install mscgen)"
have msc-gen || echo "(msc-gen not installed: apt-get install msc-generator)"

echo
echo "Inside one process (what 'blog build' pays per diagram), mean of 40:"
BLOG_BENCH=1 CK_FORK=no "$BUILD/test_draw" | grep -E ' ms '
m=$( have mscgen && median_ms mscgen -T png -o "$TMP/m.png" "$TMP/tcp-establishment-3-packets.msc" || echo -)
echo "mscgen whole process, 1x handshake PNG: $m ms (goal: a 2x diagram in 'blog build' <= 1/5 of it)"
