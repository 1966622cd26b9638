#!/usr/bin/env bash
# ./build.sh          install what is missing, compile build/blog, build the site
# ./build.sh test     compile and run every test; ends with "N passed, N failed"
# ./build.sh serve    build, then preview the site (blog serve)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Debian packages: libraries (with their pkg-config names), tools and fonts.
PACKAGES=(build-essential pkg-config libcmark-dev libyaml-dev libcairo2-dev
          libfontconfig-dev libpng-dev zlib1g-dev libmicrohttpd-dev check
          fonts-dejavu-core time)
TEST_PACKAGES=(libxml2-utils python3 python3-feedparser clang
               libclang-rt-14-dev chromium default-jre-headless curl)

install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "build.sh: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

# The Nu HTML Checker for tests/cli/validate.sh: npm's vnu-jar, kept in
# .cache/vnu (it runs on the JRE installed above).
install_vnu() {
  [ -f .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar ] && return 0
  command -v npm >/dev/null 2>&1 || install_missing npm
  echo "build.sh: installing vnu-jar into .cache/vnu" >&2
  npm install --silent --no-audit --no-fund --prefix .cache/vnu vnu-jar >&2 ||
    echo "build.sh: vnu-jar could not be installed; tests/cli/validate.sh will fail" >&2
}

jobs=$(nproc 2>/dev/null || echo 2)
cmd="${1:-build}"
case "$cmd" in
  build)
    install_missing "${PACKAGES[@]}"
    make -j"$jobs"
    ./build/blog build
    ;;
  test)
    install_missing "${PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    install_vnu
    shift
    exec tests/run.sh "$@"
    ;;
  serve)
    install_missing "${PACKAGES[@]}"
    make -j"$jobs"
    shift
    exec ./build/blog serve "$@"
    ;;
  *)
    echo "usage: ./build.sh [build|test|serve]" >&2
    exit 2
    ;;
esac
