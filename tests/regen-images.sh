#!/usr/bin/env bash
# Rewrites the expected diagrams in tests/golden/images/ from the current
# renderer: the hand-built traces of tests/unit/test_draw.c (hand-*.png/svg)
# and every scenario in content/diagrams/ and tests/scenarios/.  Review the
# images (and `git diff --stat`) before committing them.
#
#   tests/regen-images.sh            regenerate
#   BUILD=build-x tests/regen-images.sh   use another build folder
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD="${BUILD:-build}"
make -s BUILD="$BUILD" "$BUILD/test_draw"
mkdir -p tests/golden/images
# Images of scenarios that no longer exist would linger; start afresh.
rm -f tests/golden/images/*.png tests/golden/images/*.svg
CK_FORK=no BLOG_REGEN_IMAGES=1 "$BUILD/test_draw" >/dev/null
"$BUILD/test_draw"
ls tests/golden/images
