#!/usr/bin/env bash
# Rewrites the golden traces in tests/golden/traces/ from the current engine:
# one NAME.yaml per scenario in content/diagrams/ and tests/scenarios/ (the
# output of `blog diagram --trace`).  Read `git diff tests/golden/traces`
# before committing: every changed segment or state must be explained.
#
#   tests/regen-traces.sh                 regenerate
#   BUILD=build-x tests/regen-traces.sh   use another build folder
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD="${BUILD:-build}"
make -s BUILD="$BUILD" "$BUILD/blog"
mkdir -p tests/golden/traces
rm -f tests/golden/traces/*.yaml
for f in content/diagrams/*.yaml tests/scenarios/*.yaml; do
  "$BUILD/blog" diagram --trace "$f" >"tests/golden/traces/$(basename "$f")"
done
ls tests/golden/traces
