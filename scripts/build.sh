#!/usr/bin/env bash
# Configures and builds PixelPerf (Release) into ./build. Extra arguments go
# to CMake's configure step.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${PIXELPERF_BUILD_DIR:-$root/build}"
jobs="$(nproc 2>/dev/null || echo 2)"
# Warnings are errors in CI (CI=true, as CI services set it, and .ci/run on
# the fresh system too); elsewhere a compiler that warns where ours does not
# still gives a program. run.sh and test.sh configure alike, so the second of
# the README's two commands reuses the first one's build.
werror=()
if [ -n "${CI:-}" ] && [ "$CI" != false ]; then
    werror=(-DPIXELPERF_WERROR=ON)
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}" "${werror[@]}" "$@" >/dev/null
cmake --build "$build" -j"$jobs"
