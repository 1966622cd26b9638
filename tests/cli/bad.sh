#!/usr/bin/env bash
# Every broken input in tests/bad/ (and every input that must work, in
# tests/good/) is dropped into a fresh copy of tests/minimal/, which has
# already been built once, and the site is built again.  A bad case must
# print exactly its expected error lines, exit 1 and leave public/
# byte-identical (diff -r) with no temporary folder beside it.  The case format is
# described in tests/bad/README.md.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export LC_ALL=C

base="$TMP/base"
cp -r "$ROOT/tests/minimal" "$base"
if ! "$BLOG" build --site "$base" --quiet >"$TMP/base.log" 2>&1; then
  fail "the minimal site builds"
  cat "$TMP/base.log"
  exit 0
fi

# ---- generated payloads (too big or too odd to commit) ----------------------

fm() { printf -- '---\ntitle: %s\ndate: 2020-01-01\n---\n' "$1"; }
gen_fifo() { # a named pipe where a post should be: nobody writes to it
  mkfifo "$1"
}
gen_device() { # a post that is a link to /dev/zero, an endless file
  ln -s /dev/zero "$1"
}
gen_dangling() { # a link to nothing
  ln -s "$TMP/nothing-here.md" "$1"
}
gen_loop() { # a link to the folder it is in
  ln -s . "$1"
}
gen_loop_up() { # a link two folders up, from a folder that holds a post
  mkdir -p "$1"
  printf -- '---\ntitle: Deep\ndate: 2020-01-01\n---\nx\n' >"$1/deep.md"
  ln -s ../.. "$1/up"
}
gen_huge_post() { # 50 MB of Markdown
  { fm Huge; yes 'All work and no play makes a long post. Again and again.' |
      head -c 52428800; } >"$1"
}
gen_nested_list() { # 10 000 list levels, one inside the other
  { fm Nested; printf -- '- %.0s' $(seq 10000); echo deep; } >"$1"
}
gen_nested_list_indented() { # 1 000 levels written with indentation
  { fm Indented; for ((i = 0; i < 1000; i++)); do
      printf '%*s- level %d\n' $((2 * i)) '' "$i"; done; } >"$1"
}
gen_deep_quote() { # 100 000 '>'
  { fm Quotes; head -c 100000 /dev/zero | tr '\0' '>'; echo ' deep'; } >"$1"
}
gen_brackets() { # 100 000 '['
  { fm Brackets; head -c 100000 /dev/zero | tr '\0' '['; echo; } >"$1"
}
gen_link_openers() { # 20 000 '[a]('
  { fm Links; for ((i = 0; i < 2000; i++)); do
      printf '[a](%.0s' 1 2 3 4 5 6 7 8 9 10; done; echo; } >"$1"
}
gen_emphasis() { # long runs of emphasis openers and closers
  { fm Emphasis; head -c 20000 /dev/zero | tr '\0' '*'; printf 'a';
    head -c 20000 /dev/zero | tr '\0' '_'; echo;
    for ((i = 0; i < 1000; i++)); do
      printf '*a **b _c __d %.0s' 1 2 3 4 5 6 7 8 9 10; done; echo; } >"$1"
}
gen_backticks() { # 100 000 backticks, then unmatched runs of every length
  local run="" i
  { fm Ticks; head -c 100000 /dev/zero | tr '\0' '`'; echo x;
    for ((i = 1; i < 400; i++)); do run+='`'; printf '%s ' "$run"; done
    echo; } >"$1"
}
gen_many_headings() { # 10 000 headings with the same text: 10 000 ids
  { fm Headings; for ((i = 0; i < 1000; i++)); do
      printf '# Same\n%.0s' 1 2 3 4 5 6 7 8 9 10; done; } >"$1"
}
gen_unclosed_raw() { # 20 000 {% raw %} that are never closed
  { fm Raw; for ((i = 0; i < 2000; i++)); do
      printf '{%% raw %%} %.0s' 1 2 3 4 5 6 7 8 9 10; done; echo; } >"$1"
}
gen_tag_openers() { # 100 000 "{%" on one line, none closed
  { fm Openers; head -c 100000 /dev/zero | tr '\0' '{' | sed 's/{/{%/g'; echo; } >"$1"
}
gen_many_relative_links() { # 5 000 relative links to a page that exists
  { fm Relative; printf '\n'; for ((i = 0; i < 500; i++)); do
      printf '<img src="../../../../404.html">%.0s' 1 2 3 4 5 6 7 8 9 10; done; echo; } >"$1"
}
gen_html_attrs() { # an HTML block with 30 000 unterminated attributes
  { fm Attrs; printf '\n<div'; for ((i = 0; i < 3000; i++)); do
      printf ' src="%.0s' 1 2 3 4 5 6 7 8 9 10; done; echo; } >"$1"
}
gen_long_line() { # one 1 MB line of front matter title
  { printf -- '---\ntitle: '; head -c 1000000 /dev/zero | tr "\0" a;
    printf '\ndate: 2020-01-01\n---\nx\n'; } >"$1"
}
gen_deep_yaml() { # 100 000 nested flow lists in front matter
  { printf -- '---\ntitle: x\nkey: '; head -c 100000 /dev/zero | tr '\0' '[';
    printf '\n---\n'; } >"$1"
}
gen_many_keys() { # 10 010 keys in one front matter
  { printf -- '---\ntitle: Keys\ndate: 2020-01-01\n'
    for ((i = 0; i < 10008; i++)); do printf 'k%d: %d\n' "$i" "$i"; done
    printf -- '---\nx\n'; } >"$1"
}
gen_deep_template() { # 200 nested sections
  for ((i = 0; i < 200; i++)); do printf '{{#a%d}}' "$i"; done >"$1"
}
gen_many_tags() { # 2 000 distinct tags on one post
  { printf -- '---\ntitle: Tags\ndate: 2020-01-01\ntags: ['
    for ((i = 0; i < 2000; i++)); do printf "t%d, " "$i"; done
    printf 'last]\n---\nx\n'; } >"$1"
}

# ---- one case ---------------------------------------------------------------

# True if the arrays want and got (of the caller) hold the same lines.
same_lines() {
  [ ${#want[@]} -eq ${#got[@]} ] || return 1
  local k
  for ((k = 0; k < ${#want[@]}; k++)); do
    [ "${want[k]}" = "${got[k]}" ] || return 1
  done
}

# run_case KIND SPEC: KIND is bad or good; SPEC is NAME.err or NAME.ok.
run_case() {
  local kind="$1" spec="$2"
  local dir name put="" status=1 mode="" gen="" cmd=build
  local -a args=() rms=() want=() contains=() xml=()
  dir=$(dirname "$spec")
  name=$(basename "$spec"); name="${name%.*}"
  [ "$kind" = good ] && status=0
  case "$dir" in */scenarios) put="content/diagrams/$name.yaml" ;; esac
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      ''|'#'*) ;;
      put:\ *) put="${line#put: }" ;;
      status:\ *) status="${line#status: }" ;;
      args:\ *) read -r -a args <<<"${line#args: }" ;;
      mode:\ *) mode="${line#mode: }" ;;
      gen:\ *) gen="${line#gen: }" ;;
      rm:\ *) rms+=("${line#rm: }") ;;
      cmd:\ *) cmd="${line#cmd: }" ;;
      contains:\ *) contains+=("${line#contains: }") ;;
      xml:\ *) read -r -a xml <<<"${line#xml: }" ;;
      *) want+=("$line") ;;
    esac
  done <"$spec"

  local label="$kind: $name" site="$TMP/case-$kind-$name"
  cp -a "$base" "$site"
  local r
  for r in "${rms[@]}"; do rm -rf "${site:?}/$r"; done
  if [ -d "$dir/$name" ]; then
    cp -r "$dir/$name/." "$site/"
  else
    local payload="" f
    for f in "$dir/$name".*; do
      case "$f" in *.err|*.ok) ;; *) [ -f "$f" ] && payload="$f" ;; esac
    done
    if [ -z "$put" ] && [ ${#rms[@]} -eq 0 ]; then
      fail "$label" "no 'put:' line"; return
    fi
    case "$put" in */*) [ -d "$site/${put%/*}" ] || mkdir -p "$site/${put%/*}" ;; esac
    if [ -n "$gen" ]; then
      "gen_$gen" "$site/$put"
    elif [ -n "$payload" ]; then
      cp "$payload" "$site/$put"
    elif [ ${#rms[@]} -eq 0 ]; then
      fail "$label" "no payload $dir/$name.* and no 'gen:'"; return
    fi
  fi
  # root reads any file: a case with a mode runs as nobody, in a copy of
  # the site nobody may enter
  local -a as=()
  if [ -n "$mode" ]; then
    if [ "$(id -u)" = 0 ]; then
      if ! command -v setpriv >/dev/null 2>&1; then
        echo "# skip $label: running as root without setpriv"
        return
      fi
      as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
      chmod a+rx "$TMP" && chmod -R a+rX "$site"
    fi
    chmod "$mode" "$site/$put"
  fi

  local t0 t1 rc err="$site.err"
  t0=${EPOCHREALTIME/./}
  timeout 60 "${as[@]}" "$BLOG" "$cmd" --site "$site" "${args[@]}" >/dev/null 2>"$err"
  rc=$?
  t1=${EPOCHREALTIME/./}
  [ -n "$mode" ] && chmod 644 "$site/$put"
  local -a got=()
  local san=0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      *': error: '*) got+=("${line//"$site"/\{site\}}") ;;
      *Sanitizer*|*'runtime error'*) san=1 ;;
    esac
  done <"$err"
  local why=""
  if [ "$rc" -ne "$status" ]; then
    why="exit $rc, expected $status"
  elif ! same_lines; then
    why="error lines differ"
  elif [ $san = 1 ]; then
    why="sanitizer report"
  elif [ "$kind" = bad ] && ! diff -r -q "$base/public" "$site/public" >/dev/null; then
    why="public/ changed"
  elif compgen -G "$site/public.tmp-*" >/dev/null; then
    why="a temporary folder was left beside public/"
  fi
  local c
  for c in "${xml[@]}"; do
    [ -n "$why" ] && break
    xmllint --noout "$site/public/$c" >/dev/null 2>&1 || why="xmllint refuses public/$c"
  done
  for c in "${contains[@]}"; do
    [ -n "$why" ] && break
    local f="${c%% *}" text="${c#* }"
    grep -aqF -- "$text" "$site/public/$f" 2>/dev/null || why="public/$f lacks '$text'"
  done
  if [ -z "$why" ]; then
    ok "$label ($(((t1 - t0) / 1000)) ms)"
  else
    fail "$label" "$why"
    local w
    for w in "${want[@]:0:10}"; do echo "    want: $w"; done
    for w in "${got[@]:0:10}"; do echo "    got:  $w"; done
    [ ${#got[@]} -gt 10 ] && echo "    got:  ... ${#got[@]} error lines in all"
    grep -av ': error: ' "$err" | head -5 | sed 's/^/    stderr: /'
  fi
}

# The cases run $jobs at a time, each in its own copy of the site; their
# reports are printed in order.
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p "$TMP/report"
i=0
running=0
for spec in "$ROOT"/tests/bad/*.err "$ROOT"/tests/bad/scenarios/*.err \
            "$ROOT"/tests/good/*.ok; do
  [ -f "$spec" ] || continue
  kind=bad; [ "${spec##*.}" = ok ] && kind=good
  if [ $running -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  i=$((i + 1))
  printf -v report '%s/report/%04d' "$TMP" $i
  run_case "$kind" "$spec" >"$report" 2>&1 &
  running=$((running + 1))
done
wait
cat "$TMP"/report/*
