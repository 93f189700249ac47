#!/usr/bin/env bash
# Builds PixelPerf with a sanitizer in its own folder and runs the tests
# under it:
#   scripts/sanitize.sh asan   AddressSanitizer + UBSan  (build-asan/)
#   scripts/sanitize.sh tsan   ThreadSanitizer           (build-tsan/)
# Extra arguments go to ctest (default: every test but the GUI's, the long
# run and the fuzzers, and under TSan the network tests; the GUI is not
# built: Qt itself is not instrumented, and the core and the CLI are what the
# sanitizers are for).
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

"$root/scripts/deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPIXELPERF_BUILD_GUI=OFF \
    -DPIXELPERF_WERROR=ON "$option" >/dev/null
cmake --build "$build" -j"$jobs"

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
cd "$build"
if [ $# -eq 0 ]; then
    if [ "$kind" = tsan ]; then
        # Not the network tests either: the sample downloader hands work to
        # Qt's global thread pool, whose hand-off TSan cannot see (Qt is not
        # instrumented), so it reports the arguments of every task. They run
        # under ASan.
        set -- -LE 'long|fuzz|network'
    else
        set -- -LE 'long|fuzz'
    fi
fi
ctest --output-on-failure -j"$jobs" "$@"
