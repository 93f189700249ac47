#!/usr/bin/env bash
# PixelPerf against libvips on huge JPEGs, in one run.
#
#   bench/huge.sh [DIR] [--count N] [--size WxH] [--repeat N] [--jobs N]
#
# Without DIR, generates N (default 4) sequential photo-like JPEGs of WxH
# (default 12000x9000, 108 megapixels: above the 100-megapixel budget, which
# counts the pixels a JPEG decodes at its shrink-on-load scale) once. Runs,
# alternating (A B C A B C ...) for --repeat rounds (default 3):
# pixelperf-cli --preset optimized --no-sample with --jobs N, and the same
# pipeline with libvips (bench/vips_pipeline.c, --threads N), with
# shrink-on-load (vips_thumbnail) and without. Prints images/s, CPU seconds
# and peak RSS (median of the rounds), and pixelperf against each per round
# with the range. The target: pixelperf faster than libvips with
# shrink-on-load, at no more peak memory.
set -euo pipefail
source "$(dirname "$0")/common.sh"
count=4 size=12000x9000 repeat=3 jobs=2 dir=""
bench_options "count size repeat jobs" "" "$@"

bench_peers_ready "$cli" "$build/bench/pixelperf-bench-vips"
dir="$(bench_images "$dir" "$count" "$size")"
n=$(find "$dir" -maxdepth 1 -iname '*.jpg' | wc -l)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results"
: >"$results"

echo "Folder: $dir ($n JPEGs of $size); $(nproc) cores; jobs $jobs; $repeat rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$repeat"); do
    echo "round $i/$repeat"
    measure "pixelperf-optimized" "$cli" run "$dir" -o "$work/out" --no-history --preset optimized --jobs "$jobs" --quiet --no-sample
    measure "vips-thumbnail" "$build/bench/pixelperf-bench-vips" "$dir" "$work/out" --thumbnail --threads "$jobs"
    measure "vips" "$build/bench/pixelperf-bench-vips" "$dir" "$work/out" --threads "$jobs"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/python3 - "$results" "$n" "$root/bench" <<'PY'
import sys
sys.path.insert(0, sys.argv[3])
from results import read, medians, spread, print_table, RSS
rows = read(sys.argv[1])
print_table(medians(rows), int(sys.argv[2]), ["pixelperf-optimized", "vips-thumbnail", "vips"])
print("\nper round, optimized against:")
for k in ["vips-thumbnail", "vips"]:
    if k in rows:
        print(f"  {k:15} images/s {spread(rows, 'pixelperf-optimized', k)}, "
              f"peak RSS {k}/optimized {spread(rows, 'pixelperf-optimized', k, RSS)}")
print("target: faster than vips-thumbnail (images/s ratio > 1) at no more peak RSS (RSS ratio >= 1)")
PY
