#!/usr/bin/env bash
# One command for the packages: install what is missing, build (Release) and
# run CPack. On Linux that is pixelperf_<version>_<arch>.deb and a .tar.gz in
# <build>/packages/; on Windows (NSIS, ZIP) and macOS (DragNDrop, TGZ) the
# same CMake target builds the platform's packages: see README.md, "Install".
# Extra arguments go to CMake's configure step.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${PIXELPERF_BUILD_DIR:-$root/build}"
"$root/scripts/deps.sh"
PIXELPERF_BUILD_DIR="$build" "$root/scripts/build.sh" "$@"
cmake --build "$build" --target package
echo "Packages in $build/packages:"
ls -1 "$build/packages"/pixelperf[-_]*.* 2>/dev/null | sed 's/^/  /'
