#!/usr/bin/env bash
# The TCP engine end to end: every scenario's trace (`blog diagram --trace`)
# equals its golden trace in tests/golden/traces/; the article's three
# figures have exactly the segments the issue of record describes; every
# scenario in tests/scenarios/bad/ fails with the error line written on its
# first line ("# expect: LINE:COL: error: ...") and exit status 1.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

for f in content/diagrams/*.yaml tests/scenarios/*.yaml; do
  name=$(basename "$f")
  gold="tests/golden/traces/$name"
  if [ ! -f "$gold" ]; then
    fail "$name: golden trace" "no $gold; run tests/regen-traces.sh and review it"
    continue
  fi
  if "$BLOG" diagram --trace "$f" >"$TMP/$name" 2>"$TMP/$name.err" &&
     diff -u "$gold" "$TMP/$name" >"$TMP/$name.diff"; then
    ok "$name: trace equals the golden trace"
  else
    fail "$name: trace equals the golden trace" "$(head -30 "$TMP/$name.diff" "$TMP/$name.err")"
  fi
  if [ -s "$TMP/$name.err" ]; then
    fail "$name: runs without warnings" "$(cat "$TMP/$name.err")"
  fi
done

# The segments of a trace, one "FLAGS seq=S ack=A" line each.
segments() {
  "$BLOG" diagram --trace "$1" | sed -n 's/.*kind: segment.*flags: \[\([^]]*\)\], seq: \([0-9]*\), ack: \([0-9]*\).*/\1 seq=\2 ack=\3/p'
}
expect_segments() {
  local name=$1; shift
  local want got
  want=$(printf '%s\n' "$@")
  got=$(segments "content/diagrams/$name.yaml")
  if [ "$got" = "$want" ]; then ok "$name: segments are $(printf '%s; ' "$@")"
  else fail "$name: segments" "want:
$want
got:
$got"; fi
}
expect_segments tcp-establishment-4-packets "SYN seq=1000 ack=0" "ACK seq=5000 ack=1001" "SYN seq=5000 ack=0" "ACK seq=1001 ack=5001"
expect_segments tcp-establishment-3-packets "SYN seq=1000 ack=0" "SYN, ACK seq=5000 ack=1001" "ACK seq=1001 ack=5001"
expect_segments tcp-termination "FIN, ACK seq=1001 ack=5001" "ACK seq=5001 ack=1002" "FIN, ACK seq=5001 ack=1002" "ACK seq=1002 ack=5002"

states() { # "peer:FROM>TO" for each state change
  "$BLOG" diagram --trace "$1" | sed -n 's/.*kind: state, step: [0-9]*, peer: \([a-z]*\), from: \([A-Z0-9-]*\), to: \([A-Z0-9-]*\).*/\1:\2>\3/p' | tr '\n' ' '
}
got=$(states content/diagrams/tcp-termination.yaml)
want="client:ESTABLISHED>FIN-WAIT-1 server:ESTABLISHED>CLOSE-WAIT client:FIN-WAIT-1>FIN-WAIT-2 server:CLOSE-WAIT>LAST-ACK client:FIN-WAIT-2>TIME-WAIT server:LAST-ACK>CLOSED client:TIME-WAIT>CLOSED "
if [ "$got" = "$want" ]; then ok "tcp-termination: states in order"; else fail "tcp-termination: states in order" "got: $got"; fi

# --strict refuses the teaching variant, citing the RFC
"$BLOG" diagram --strict --trace content/diagrams/tcp-establishment-4-packets.yaml >/dev/null 2>"$TMP/strict.err"
rc=$?
if [ $rc -eq 1 ] && grep -q '^content/diagrams/tcp-establishment-4-packets.yaml:[0-9]*:[0-9]*: error: .*RFC 9293, 3.10.7.3' "$TMP/strict.err"; then
  ok "--strict refuses split-syn-ack with the RFC section"
else
  fail "--strict refuses split-syn-ack with the RFC section" "exit $rc: $(cat "$TMP/strict.err")"
fi
check "--strict accepts the three-way handshake" "$BLOG" diagram --strict --trace content/diagrams/tcp-establishment-3-packets.yaml

# illegal scenarios
for f in tests/scenarios/bad/*.yaml; do
  want="$f:$(head -1 "$f" | sed 's/^# expect: //')"
  "$BLOG" diagram --trace "$f" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  got=$(grep -m1 ': error: ' "$TMP/err")
  if [ $rc -eq 1 ] && [ "$got" = "$want" ] && [ ! -s "$TMP/out" ]; then
    ok "bad $(basename "$f"): exit 1, '$(sed 's/^[^ ]* error: //' <<<"$want" | cut -c1-60)'"
  else
    fail "bad $(basename "$f")" "exit $rc
want: $want
got:  $got"
  fi
done

# usage errors exit 2
"$BLOG" diagram >/dev/null 2>&1; rc=$?
if [ $rc -eq 2 ]; then ok "diagram without a file: exit 2"; else fail "diagram without a file: exit 2" "exit $rc"; fi
"$BLOG" diagram content/diagrams/tcp-termination.yaml --scale 0 >/dev/null 2>&1; rc=$?
if [ $rc -eq 2 ]; then ok "--scale 0: exit 2"; else fail "--scale 0: exit 2" "exit $rc"; fi
"$BLOG" diagram content/diagrams/tcp-termination.yaml -o "$TMP/x.gif" 2>"$TMP/err"; rc=$?
if [ $rc -eq 1 ] && grep -q "error: unknown image format" "$TMP/err"; then ok "-o x.gif: unknown format, exit 1"; else fail "-o x.gif" "exit $rc"; fi
# a million steps: refused quickly with a clear limit
{ echo "peers: {a: {}, b: {}}"; echo "steps:"; yes "  - note: x" | head -1000000; } >"$TMP/huge.yaml"
"$BLOG" diagram --trace "$TMP/huge.yaml" >/dev/null 2>"$TMP/err"; rc=$?
if [ $rc -eq 1 ] && grep -q "1000000 steps are too many for one diagram; at most 200 rows fit" "$TMP/err"; then ok "a million steps: refused"; else fail "a million steps: refused" "exit $rc $(head -2 "$TMP/err")"; fi
