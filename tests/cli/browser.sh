#!/usr/bin/env bash
# Live reload in a real browser: headless Chromium, driven over the DevTools
# protocol by tests/browser/reload.mjs (Node's built-in WebSocket).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ] || ! command -v node >/dev/null; then
  fail "chromium and node are installed (./build.sh test installs chromium)"
  exit 0
fi
S="$TMP/site"; mkdir -p "$S"
cp -r "$ROOT"/site.yaml "$ROOT"/content "$ROOT"/templates "$ROOT"/assets "$S/"
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(port); DEV=$(port)
"$BLOG" serve --site "$S" --port "$PORT" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SPID=$!
"$CHROME" --headless=new --no-sandbox --disable-gpu --no-first-run --disable-extensions \
  --user-data-dir="$TMP/chrome" --remote-debugging-port="$DEV" about:blank >"$TMP/chrome.log" 2>&1 &
CPID=$!
trap 'kill $SPID $CPID 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/" && curl -s -o /dev/null "http://127.0.0.1:$DEV/json/version" && break
  sleep 0.1
done
timeout 120 node --experimental-websocket --no-warnings "$ROOT/tests/browser/reload.mjs" "$DEV" "http://127.0.0.1:$PORT" "$S" 2>&1 ||
  fail "the browser driver ran to the end" "$(tail -5 "$TMP/chrome.log")"
kill -INT $SPID; wait $SPID 2>/dev/null
