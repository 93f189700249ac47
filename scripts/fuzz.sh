#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (with ASan and UBSan, in
# build-fuzz/) and runs each one for a bounded time through CTest (label
# `fuzz`). PIXELPERF_FUZZ_SECONDS sets the time per target (default 20).
# Extra arguments go to ctest (e.g. -R fuzz_image).
#
# To fuzz one target for longer by hand:
#   build-fuzz/tests/fuzz/fuzz_image -max_total_time=600 /tmp/new tests/fuzz/corpus/image
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${PIXELPERF_FUZZ_BUILD_DIR:-$root/build-fuzz}"
jobs="$(nproc 2>/dev/null || echo 2)"

# clang from Debian; libFuzzer's runtime is in its compiler-rt package.
# Ninja builds the fuzz targets side by side (see scripts/sanitize.sh).
"$root/scripts/deps.sh" clang ninja-build
probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char *, unsigned long) { return 0; }' >"$probe/p.cpp"
if ! clang++ -fsanitize=fuzzer,address "$probe/p.cpp" -o "$probe/p" 2>/dev/null; then
    "$root/scripts/deps.sh" libclang-rt-dev
fi

generator=()
if [ ! -f "$build/CMakeCache.txt" ]; then
    generator=(-G Ninja)
fi
cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DPIXELPERF_FUZZ=ON -DPIXELPERF_ASAN=ON -DPIXELPERF_BUILD_GUI=OFF \
    -DPIXELPERF_FUZZ_SECONDS="${PIXELPERF_FUZZ_SECONDS:-20}" >/dev/null
cmake --build "$build" -j"$jobs" --target fuzz_report fuzz_manifest fuzz_cliargs fuzz_image
cd "$build"
ctest --output-on-failure -j"$jobs" -L fuzz "$@"
