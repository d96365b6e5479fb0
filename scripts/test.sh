#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds, and runs every test
# (unit, golden corpus, and end-to-end on a private dockerd and registry that
# the suite starts and stops itself).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${BUILD_DIR:-$root/build}
cd "$build"
ctest --output-on-failure --timeout 900 -j2 "$@"
