#!/usr/bin/env bash
# A run of many small images with every report written: peak RSS and wall time.
#
#   bench/scale.sh [--count N] [--size WxH] [--jobs N] [--dir IMAGE_DIR]
#
# Generates N (default 100,000) small JPEGs (default 64x48) once, under
# build/bench-images (or uses --dir), then runs `pixelperf-cli run` on them
# at --size 32x24 with --report, --html, --csv and --trace (and --no-history:
# the history keeps a copy of the JSON report, see the README's limits),
# under /usr/bin/time -v. Prints peak RSS, wall time and the reports' sizes.
# Target (issue 19): peak RSS at most 100 MiB at 100,000 images. RSS does not
# depend on the machine's load; wall time does.
# PIXELPERF_BEFORE=other/pixelperf-cli runs an older build on the same
# images first, for a before/after pair.
set -euo pipefail
source "$(dirname "$0")/common.sh"
count=100000 size=64x48 jobs=2 dir=""
bench_options "count size jobs dir" "" "$@"

"$root/scripts/deps.sh" time
[ -x "$cli" ] || "$root/scripts/build.sh"
dir="$(bench_images "$dir" "$count" "$size")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

measure() {
    local label="$1" program="$2" status=0
    rm -rf "$work/out" "$work"/r.*
    /usr/bin/time -v -o "$work/time.txt" "$program" run "$dir" -o "$work/out" --size 32x24 --jobs "$jobs" \
        --report "$work/r.json" --html "$work/r.html" --csv "$work/r.csv" --trace "$work/r.trace.json" \
        --no-history --quiet || status=$?
    local rss wall
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
    printf '%-8s %7s images  peak RSS %5s MiB  wall %8s  exit %d  reports: %s\n' "$label" "$count" "$rss" \
        "$wall" "$status" "$(du -ch "$work"/r.* | awk '/total/ {print $1}')"
}

if [ -n "${PIXELPERF_BEFORE:-}" ]; then
    measure before "$PIXELPERF_BEFORE"
fi
measure now "$cli"
