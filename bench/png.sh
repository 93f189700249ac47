#!/usr/bin/env bash
# PixelPerf against libvips on PNG inputs (PNG out), in one run.
#
#   bench/png.sh [PNG_DIR] [--count N] [--size WxH] [--repeat N] [--jobs N]
#
# Without PNG_DIR, re-saves N (default 24) of the generated photo-like
# 2560x1600 JPEGs as PNGs (Pillow, zlib level 6) once. Runs, alternating
# (A B A B ...) for --repeat rounds (default 3): pixelperf-cli --preset
# optimized --no-sample with --jobs N, and the same pipeline with libvips
# (bench/vips_pipeline.c --png, --threads N; PNG saved with pngsave's
# defaults). Prints images/s, CPU seconds, peak RSS and the bytes written
# (median of the rounds), and pixelperf/libvips per round with the range.
# PIXELPERF_BEFORE=path/to/an/older/pixelperf-cli adds it to every round.
set -euo pipefail
source "$(dirname "$0")/common.sh"
count=24 size=2560x1600 repeat=3 jobs=2 dir=""
bench_options "count size repeat jobs" "" "$@"

bench_peers_ready "$cli" "$build/bench/pixelperf-bench-vips"
if [ -z "$dir" ]; then
    jpegs="$(bench_images "" "$count" "$size")"
    dir="$build/bench-images/${count}x$size-png"
    if [ "$(find "$dir" -name '*.png' 2>/dev/null | wc -l)" -lt "$count" ]; then
        echo "Re-saving $count JPEGs as PNG into $dir ..." >&2
        rm -rf "$dir"; mkdir -p "$dir"
        /usr/bin/python3 - "$jpegs" "$dir" "$count" <<'PY'
import sys, pathlib
from PIL import Image
src, dst, n = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
for p in sorted(src.glob("*.jpg"))[:n]:
    Image.open(p).convert("RGB").save(dst / (p.stem + ".png"))
PY
    fi
fi
n=$(find "$dir" -maxdepth 1 -iname '*.png' | wc -l)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results"
: >"$results"

echo "Folder: $dir ($n PNGs); $(nproc) cores; jobs $jobs; $repeat rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)"
before="${PIXELPERF_BEFORE:-}"
before_options=($(bench_before_options "$before"))
for i in $(seq "$repeat"); do
    echo "round $i/$repeat"
    measure "pixelperf-optimized" "$cli" run "$dir" -o "$work/out" --no-history --preset optimized --jobs "$jobs" --quiet --no-sample
    [ -z "$before" ] || measure "before-optimized" "$before" run "$dir" -o "$work/out" "${before_options[@]}" --preset optimized --jobs "$jobs" --quiet --no-sample
    measure "vips" "$build/bench/pixelperf-bench-vips" "$dir" "$work/out" --png --threads "$jobs"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/python3 - "$results" "$n" "$root/bench" <<'PY'
import sys
sys.path.insert(0, sys.argv[3])
from results import read, medians, spread, print_table, OUTPUT
rows = read(sys.argv[1])
med = medians(rows)
print_table(med, int(sys.argv[2]), ["pixelperf-optimized", "before-optimized", "vips"], output=True)

print("\nimages/s ratios, per round:")
print(f"  optimized / vips   = {spread(rows, 'pixelperf-optimized', 'vips')} (target >= 2)")
if "before-optimized" in rows:
    print(f"  optimized / before = {spread(rows, 'pixelperf-optimized', 'before-optimized')}")
if "vips" in med and "pixelperf-optimized" in med:
    print(f"  output bytes, optimized / vips = {med['pixelperf-optimized'][OUTPUT] / med['vips'][OUTPUT]:.3f}")
PY
