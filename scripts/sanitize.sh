#!/usr/bin/env bash
# Builds PixelPerf with a sanitizer in its own folder and runs tests under it:
#   scripts/sanitize.sh asan   AddressSanitizer + UBSan  (build-asan/)
#   scripts/sanitize.sh tsan   ThreadSanitizer           (build-tsan/)
# Extra arguments go to ctest and choose the tests. By default:
#   asan: every test of the core and the CLI (CTest labels core, cli and the
#         unlabelled CLI tests) but the long run, the fuzzers and the tests
#         labelled `timing` (A/A comparisons: the sanitizer's overhead would
#         be their noise);
#   tsan: the tests labelled `threads`, the ones that run the pipeline on
#         several workers or read its profile from another thread
#         (tst_pipeline, tst_concurrency, tst_history, tst_cli_badinput, tst_cli_cancel).
#         The single-threaded ones (kernels, load, scan, reports...) give
#         TSan nothing to look at, and it runs 5 to 15 times slower. Nor
#         the network tests: the downloader hands work to Qt's global
#         thread pool, whose hand-off TSan cannot see (Qt is not
#         instrumented), so it reports the arguments of every task. They
#         run under ASan.
# Only what the chosen tests run is built (each test's executable, and
# pixelperf-cli for those that start it): not the GUI (Qt itself is not
# instrumented, and the core and the CLI are what the sanitizers are for),
# not the benchmarks.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kind="${1:-}"
case "$kind" in
    asan) option=-DPIXELPERF_ASAN=ON ;;
    tsan) option=-DPIXELPERF_TSAN=ON ;;
    *) echo "usage: $0 asan|tsan [ctest arguments]" >&2; exit 2 ;;
esac
shift
build="${PIXELPERF_SANITIZE_BUILD_DIR:-$root/build-$kind}"
jobs="$(nproc 2>/dev/null || echo 2)"

# Ninja: it builds several targets side by side (the Makefiles build the
# targets named on the command line one after the other, each test being
# mostly one file, so one core would idle). A folder already configured
# keeps its generator.
"$root/scripts/deps.sh" ninja-build
generator=()
if [ ! -f "$build/CMakeCache.txt" ]; then
    generator=(-G Ninja)
fi
cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPIXELPERF_BUILD_GUI=OFF \
    -DPIXELPERF_WERROR=ON "$option" >/dev/null
cd "$build"
if [ $# -eq 0 ]; then
    if [ "$kind" = tsan ]; then
        set -- -L threads
    else
        set -- -LE 'long|fuzz|timing'
    fi
fi
# A test's executable is the target of the same name (tests/CMakeLists.txt).
mapfile -t targets < <(ctest -N "$@" | sed -n 's/^ *Test *#[0-9]*: *\([^ ]*\)$/\1/p')
if [ ${#targets[@]} -eq 0 ]; then
    echo "$0: no test matches: $*" >&2
    exit 2
fi
echo "Building for ${#targets[@]} tests: ${targets[*]}"
cmake --build "$build" -j"$jobs" --target "${targets[@]}"

# Any report fails the test that caused it. Qt is not instrumented: TSan
# cannot see the synchronisation inside it, hence a few suppressions, each
# explained in tests/tsan.supp.
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
# ignore_noninstrumented_modules: no race is reported inside Qt, glib or
# glibc themselves (their locks stay visible); tests/tsan.supp has the rest.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$root/tests/tsan.supp:print_suppressions=0"
export QT_QPA_PLATFORM=offscreen
# Qt's own event dispatcher rather than glib's (uninstrumented, and racy to TSan).
export QT_NO_GLIB=1
ctest --output-on-failure -j"$jobs" "$@"
