# Sourced by tests/cli/*.sh.  The runner sets BLOG (the binary under test),
# ROOT (the repository) and BUILD (build or build-asan).
#   check NAME CMD...   runs CMD; prints "ok - NAME" or "not ok - NAME"
#   ok NAME / fail NAME [WHY]
BLOG="${BLOG:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/blog}"
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
BUILD="${BUILD:-build}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/blogtest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok() { echo "ok - $1"; }
fail() { echo "not ok - $1${2:+: $2}"; }
check() {
  local name="$1"; shift
  if "$@" >"$TMP/.out" 2>&1; then ok "$name"; else fail "$name"; sed 's/^/    /' "$TMP/.out" | head -20; fi
}

# corpus_site DIR N: a site in DIR of N generated posts (the corpus of
# ../shared/bench/gen-corpus.sh, the bench's seed), with the repository's
# site.yaml (link_check: warn), templates and assets
corpus_site() {
  mkdir -p "$1/content/posts"
  cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/assets" "$1/"
  sed -i 's/^link_check:.*/link_check: warn/' "$1/site.yaml"
  bash "$ROOT/../shared/bench/gen-corpus.sh" "$2" "$1.corpus" 20190714 >/dev/null 2>&1
  cp "$1.corpus"/hexo/*.md "$1/content/posts/"
}
