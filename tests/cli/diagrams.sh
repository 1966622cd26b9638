#!/usr/bin/env bash
# `blog diagram` end to end, on the article's scenarios: PNG pixel sizes
# (size x scale), well-formed SVG, byte-identical output on a second run, the
# format chosen by the extension.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

png_size() { # prints "W H" from the IHDR chunk
  od -An -tu1 -j16 -N8 "$1" | awk '{ print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'
}

declare -A want=([tcp-establishment-4-packets]="1200 800"
                 [tcp-establishment-3-packets]="1200 800"
                 [tcp-termination]="1600 1200")
for name in tcp-establishment-4-packets tcp-establishment-3-packets tcp-termination; do
  y="content/diagrams/$name.yaml"
  if [ ! -f "$y" ]; then
    ok "$name: no scenario yet (skipped)"
    continue
  fi
  check "$name: renders a PNG" "$BLOG" diagram "$y" -o "$TMP/$name.png"
  got=$(png_size "$TMP/$name.png" 2>/dev/null)
  if [ "$got" = "${want[$name]}" ]; then ok "$name: PNG is ${want[$name]/ /x}"; else fail "$name: PNG is ${want[$name]/ /x}" "got '$got'"; fi
  check "$name: renders an SVG" "$BLOG" diagram "$y" -o "$TMP/$name.svg"
  check "$name: SVG is well-formed" xmllint --noout "$TMP/$name.svg"
  "$BLOG" diagram "$y" -o "$TMP/$name.2.png" >/dev/null 2>&1
  "$BLOG" diagram "$y" -o "$TMP/$name.2.svg" >/dev/null 2>&1
  check "$name: second render is byte-identical" cmp "$TMP/$name.png" "$TMP/$name.2.png"
  check "$name: second SVG is byte-identical" cmp "$TMP/$name.svg" "$TMP/$name.2.svg"
  check "$name: --scale 1 gives CSS size" "$BLOG" diagram "$y" -o "$TMP/$name.1.png" --scale 1
  got=$(png_size "$TMP/$name.1.png" 2>/dev/null)
  set -- ${want[$name]}
  if [ "$got" = "$(($1 / 2)) $(($2 / 2))" ]; then ok "$name: 1x PNG"; else fail "$name: 1x PNG" "got '$got'"; fi
done
