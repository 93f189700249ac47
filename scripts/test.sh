#!/usr/bin/env bash
# One command: install what is missing, build, and run every test with CTest.
# Extra arguments go to ctest (e.g. -L long, -R tst_blur).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${PIXELPERF_BUILD_DIR:-$root/build}"
"$root/scripts/deps.sh"
"$root/scripts/build.sh"
cd "$build"
# With no arguments: every test but the long run (2,000 images, about a
# minute; `./scripts/test.sh -L long`), which .ci/run adds.
if [ $# -eq 0 ]; then
    set -- -LE long
fi
QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" "$@"
