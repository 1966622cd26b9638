#!/usr/bin/env bash
# blog serve end to end: HTTP rules (types, 404, 405, redirects, 304,
# traversal), live reload over Server-Sent Events after an edit, the error
# overlay after a broken edit, a port in use, a clean stop on SIGINT.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v curl >/dev/null || { fail "curl is installed"; exit 0; }

S="$TMP/site"; mkdir -p "$S"
cp -r "$ROOT"/site.yaml "$ROOT"/content "$ROOT"/templates "$ROOT"/assets "$S/"
POST="$S/content/posts/why-tcp-connection-termination-needs-four-way-handshake.md"
URL_POST=/2019/07/14/why-tcp-connection-termination-needs-four-way-handshake/

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
"$BLOG" serve --site "$S" --port "$PORT" >"$TMP/serve.out" 2>"$TMP/serve.err" &
PID=$!
trap 'kill $PID $SSE 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "$BASE/" && break
  sleep 0.1
done
if grep -q "^serving http://127.0.0.1:$PORT/" "$TMP/serve.out"; then ok "prints the URL"; else fail "prints the URL" "$(cat "$TMP/serve.out" "$TMP/serve.err")"; fi

code_type() { curl -s --path-as-is -o /dev/null -w '%{http_code} %{content_type}' "$@"; }
expect() { # NAME WANT CURL-ARGS...
  local name=$1 want=$2; shift 2
  local got; got=$(code_type "$@")
  if [ "$got" = "$want" ]; then ok "$name: $want"; else fail "$name" "want '$want', got '$got'"; fi
}
expect "home page" "200 text/html; charset=utf-8" "$BASE/"
expect "article" "200 text/html; charset=utf-8" "$BASE$URL_POST"
expect "stylesheet" "200 text/css; charset=utf-8" "$BASE/css/style.css"
expect "diagram PNG" "200 image/png" "$BASE/images/tcp-termination.png"
expect "diagram SVG" "200 image/svg+xml" "$BASE/images/tcp-termination.svg"
expect "feed" "200 application/xml" "$BASE/atom.xml"
expect "robots" "200 text/plain; charset=utf-8" "$BASE/robots.txt"
expect "missing page: the site's 404 page" "404 text/html; charset=utf-8" "$BASE/no/such/page/"
if curl -s "$BASE/no/such/page/" | grep -q "Page not found"; then ok "404 body is 404.html"; else fail "404 body is 404.html"; fi
for m in POST PUT DELETE PATCH; do
  got=$(curl -s -o /dev/null -D "$TMP/h" -w '%{http_code}' -X "$m" -d x=1 "$BASE/")
  if [ "$got" = 405 ] && grep -qi '^Allow: GET, HEAD' "$TMP/h"; then ok "$m: 405 with Allow"; else fail "$m: 405 with Allow" "got $got"; fi
done
got=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$BASE/tags")
if [ "$got" = "301 $BASE/tags/" ]; then ok "/tags redirects to /tags/"; else fail "/tags redirects to /tags/" "$got"; fi

# traversal: every form refused, nothing outside public/ ever served
ln -s "$S/site.yaml" "$S/public/leak.yaml"
ln -s / "$S/public/rootdir"
for u in '/../site.yaml' '/%2e%2e/site.yaml' '/%2E%2E/%2e%2e/etc/passwd' '/..%2fsite.yaml' '/%2e%2e%2fsite.yaml' \
         '/..%5csite.yaml' '/..\site.yaml' '/index.html%00.png' '/leak.yaml' '/rootdir/etc/passwd' '/css/../../site.yaml'; do
  got=$(curl -s --path-as-is -o "$TMP/body" -w '%{http_code}' "$BASE$u")
  if [[ $got == 4* ]] && ! grep -q "base_url\|root:" "$TMP/body"; then ok "refused $u ($got)"; else fail "refused $u" "got $got"; fi
done
got=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/$(head -c 9000 /dev/zero | tr '\0' a)")
if [[ $got == 4* ]]; then ok "a 9 KB URL gets $got"; else fail "a 9 KB URL gets a 4xx" "got $got"; fi
got=$(printf 'GET / HTTP/1.1\r\nHost\r\n\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; cat >&3; head -c 12 <&3")
if [[ $got == HTTP/1.1\ 4* ]]; then ok "a malformed header gets a 4xx"; else fail "a malformed header gets a 4xx" "got '$got'"; fi
got=$(printf 'GARBAGE\r\n\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; cat >&3; cat <&3" | head -c 12)
if [ -z "$got" ] || [[ $got == HTTP/1.1\ 4* ]]; then ok "a request line of garbage: closed or 4xx"; else fail "garbage request" "got '$got'"; fi

# caching
etag=$(curl -s -D - -o /dev/null "$BASE/css/style.css" | tr -d '\r' | sed -n 's/^ETag: //Ip')
lm=$(curl -s -D - -o /dev/null "$BASE/css/style.css" | tr -d '\r' | sed -n 's/^Last-Modified: //Ip')
got=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$BASE/css/style.css")
if [ -n "$etag" ] && [ "$got" = 304 ]; then ok "If-None-Match: 304"; else fail "If-None-Match: 304" "etag '$etag' got $got"; fi
got=$(curl -s -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $lm" "$BASE/css/style.css")
if [ -n "$lm" ] && [ "$got" = 304 ]; then ok "If-Modified-Since: 304"; else fail "If-Modified-Since: 304" "got $got"; fi
len=$(curl -s -I "$BASE/css/style.css" | tr -d '\r' | sed -n 's/^Content-Length: //Ip')
if [ "$len" = "$(stat -c %s "$S/public/css/style.css")" ]; then ok "HEAD: Content-Length, no body"; else fail "HEAD: Content-Length" "got '$len'"; fi

# the reload script is injected into what is served, never into the files
if curl -s "$BASE$URL_POST" | grep -q "__blog/events"; then ok "served HTML carries the reload script"; else fail "served HTML carries the reload script"; fi
if ! grep -q "__blog/events" "$S/public$URL_POST/index.html"; then ok "the file on disk has no script"; else fail "the file on disk has no script"; fi
if curl -s "$BASE$URL_POST" | tail -c 200 | grep -q "</script></body>"; then ok "script sits before </body>"; else fail "script sits before </body>"; fi

# live reload: an edit -> a reload event -> the next GET shows it
curl -s -N "$BASE/__blog/events" >"$TMP/events" &
SSE=$!
sleep 0.5
sed -i 's/^### Background$/### Background, edited/' "$POST"
for _ in $(seq 1 100); do grep -q '^event: reload' "$TMP/events" && break; sleep 0.1; done
if grep -q '^event: reload' "$TMP/events"; then ok "an edit sends a reload event"; else fail "an edit sends a reload event" "$(cat "$TMP/events" "$TMP/serve.err")"; fi
if curl -s "$BASE$URL_POST" | grep -q "Background, edited"; then ok "the next GET shows the edit"; else fail "the next GET shows the edit"; fi

# a broken edit: an error event with the message, the old page stays
: >"$TMP/events"
cp "$POST" "$TMP/post.bak"
sed -i 's/^date: .*/date: 2019-13-45 10:00:00/' "$POST"
for _ in $(seq 1 100); do grep -q '^event: build-error' "$TMP/events" && break; sleep 0.1; done
if grep -q '^data: .*why-tcp-connection-termination-needs-four-way-handshake.md:[0-9]*:[0-9]*: error: ' "$TMP/events"; then
  ok "a broken edit sends the error in the compiler's form"
else
  fail "a broken edit sends the error" "$(cat "$TMP/events")"
fi
if curl -s "$BASE$URL_POST" | grep -q "Background, edited"; then ok "the last good page is still served"; else fail "the last good page is still served"; fi
# a page opened now learns of the failure at once
curl -s -N --max-time 2 "$BASE/__blog/events" >"$TMP/events2"
if grep -q '^event: build-error' "$TMP/events2"; then ok "a new page gets the current error"; else fail "a new page gets the current error" "$(cat "$TMP/events2")"; fi
: >"$TMP/events"
cp "$TMP/post.bak" "$POST"
for _ in $(seq 1 100); do grep -q '^event: reload' "$TMP/events" && break; sleep 0.1; done
if grep -q '^event: reload' "$TMP/events"; then ok "the fix sends a reload"; else fail "the fix sends a reload"; fi

# a new folder under content/ is watched too
: >"$TMP/events"
mkdir -p "$S/content/posts/2020/notes"
sleep 0.3
printf -- '---\ntitle: Nested new post\ndate: 2020-01-02 03:04:05\n---\nHello from a new folder.\n' >"$S/content/posts/2020/notes/nested.md"
for _ in $(seq 1 100); do curl -s "$BASE/2020/01/02/nested/" | grep -q "Hello from a new folder" && break; sleep 0.1; done
if curl -s "$BASE/2020/01/02/nested/" | grep -q "Hello from a new folder"; then ok "a post in a new folder is built"; else fail "a post in a new folder is built" "$(tail -5 "$TMP/serve.err")"; fi

# a scenario edit re-renders its diagram
before=$(curl -s "$BASE/images/tcp-termination.png" | sha256sum)
sed -i 's/^title: Closing a connection/title: Closing, edited/' "$S/content/diagrams/tcp-termination.yaml"
for _ in $(seq 1 100); do
  after=$(curl -s "$BASE/images/tcp-termination.png" | sha256sum)
  [ "$before" != "$after" ] && break; sleep 0.1
done
if [ "$before" != "$after" ]; then ok "a scenario edit changes its PNG"; else fail "a scenario edit changes its PNG"; fi

# a second server on the same port: a clear error
"$BLOG" serve --site "$S" --port "$PORT" >/dev/null 2>"$TMP/err2"; rc=$?
if [ $rc -eq 1 ] && grep -q "error: port $PORT is in use; choose another with --port" "$TMP/err2"; then ok "port in use: clear error, exit 1"; else fail "port in use" "exit $rc: $(cat "$TMP/err2")"; fi

# Ctrl-C: a clean stop (no sanitizer report), even with a stream open
kill -INT $PID
for _ in $(seq 1 50); do kill -0 $PID 2>/dev/null || break; sleep 0.1; done
if kill -0 $PID 2>/dev/null; then fail "SIGINT stops the server within 5 s"; kill -9 $PID; else
  wait $PID; rc=$?
  if [ $rc -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$TMP/serve.err"; then ok "SIGINT: exit 0, nothing leaked"; else fail "SIGINT: exit 0, nothing leaked" "exit $rc: $(grep -A5 Sanitizer "$TMP/serve.err" | head)"; fi
fi
