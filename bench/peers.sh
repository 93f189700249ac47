#!/usr/bin/env bash
# PixelPerf against its peers on the same folder of large JPEGs, in one run.
#
#   bench/peers.sh [IMAGE_DIR] [--generated [--count N] [--size WxH]] [--repeat N] [--jobs N] [--quick]
#
# Without IMAGE_DIR, real photos: the largest JPEG of each wallpaper in
# Debian's plasma-workspace-wallpapers (19 photos, 2560x1600 to 5120x2880,
# 5 progressive; fetched once). --generated: N (default 44) generated
# photo-like 2560x1600 JPEGs instead.
# Runs, alternating for --repeat rounds (default 3; A B C ... then ... C B A):
#   pixelperf-cli --preset optimized (with --jobs N and 1, each also with
#   --no-sample), and --preset naive once
#   the codec floor: libjpeg-turbo decode + encode only, full and DCT-scaled
#   libvips 8.x: the same pipeline, and with shrink-on-load (thumbnail)
#   the honest pairs: pixelperf-cli --preset seed-optimized against the Python
#   demo's optimized program (bench/pillow_pipeline.py --optimized), and
#   --preset seed-baseline against its baseline (once each with --quick)
# and prints images/s, CPU seconds and peak RSS (median of the rounds) and the
# ratios, the pairs side by side, then the fidelity of the optimized output:
# PSNR against Pillow's on 8 of the images (bench/fidelity.py). Peers are
# benchmark-only dependencies, installed here. PIXELPERF_BEFORE=path/to/an/
# older/pixelperf-cli adds it, optimized, to every round (before/after).
set -euo pipefail
source "$(dirname "$0")/common.sh"
count=44 size=2560x1600 repeat=3 jobs=2 dir="" quick=0 generated=0
bench_options "count size repeat jobs" "quick generated" "$@"

bench_peers_ready "$cli" "$build/bench/pixelperf-bench-floor" "$build/bench/pixelperf-bench-vips"
if [ -n "$dir" ] || [ "$generated" = 1 ]; then
    dir="$(bench_images "$dir" "$count" "$size")"
else
    dir="$(bench_photos)"
fi
n=$(find "$dir" -maxdepth 1 -iname '*.jpg' | wc -l)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results"
: >"$results"

py=/usr/bin/python3
echo "Folder: $dir ($n JPEGs); $(nproc) cores; jobs $jobs; $repeat rounds"
before="${PIXELPERF_BEFORE:-}"
before_options=($(bench_before_options "$before"))
measure "pixelperf-naive" "$cli" run "$dir" -o "$work/out" --no-history --preset naive --quiet
# The seed pairs: each preset beside the Python program it models. The
# baselines are one image at a time: slow, so twice at most.
seeds=$((quick ? 1 : 2))
for i in $(seq "$seeds"); do
    measure "seed-baseline" "$cli" run "$dir" -o "$work/out" --no-history --preset seed-baseline --quiet
    measure "pillow-baseline" "$py" "$root/bench/pillow_pipeline.py" "$dir" "$work/out"
done
# One program of a round, by its label.
run_program() {
    case "$1" in
        pixelperf-optimized) measure "$1" "$cli" run "$dir" -o "$work/out" --no-history --preset optimized --jobs "$jobs" --quiet ;;
        before-optimized) measure "$1" "$before" run "$dir" -o "$work/out" "${before_options[@]}" --preset optimized --jobs "$jobs" --quiet ;;
        pixelperf-optimized-1job) measure "$1" "$cli" run "$dir" -o "$work/out" --no-history --preset optimized --jobs 1 --quiet ;;
        # Without the call-stack sampler (its samples, and naming their
        # frames at the end): the pipeline against the floor.
        optimized-nosample) measure "$1" "$cli" run "$dir" -o "$work/out" --no-history --preset optimized --jobs "$jobs" --quiet --no-sample ;;
        optimized-nosample-1job) measure "$1" "$cli" run "$dir" -o "$work/out" --no-history --preset optimized --jobs 1 --quiet --no-sample ;;
        floor-scaled-1job) measure "$1" "$build/bench/pixelperf-bench-floor" "$dir" --jobs 1 --scaled ;;
        seed-optimized) measure "$1" "$cli" run "$dir" -o "$work/out" --no-history --preset seed-optimized --jobs "$jobs" --quiet ;;
        floor-scaled) measure "$1" "$build/bench/pixelperf-bench-floor" "$dir" --jobs "$jobs" --scaled ;;
        floor-full) measure "$1" "$build/bench/pixelperf-bench-floor" "$dir" --jobs "$jobs" ;;
        vips) measure "$1" "$build/bench/pixelperf-bench-vips" "$dir" "$work/out" --threads "$jobs" ;;
        vips-thumbnail) measure "$1" "$build/bench/pixelperf-bench-vips" "$dir" "$work/out" --thumbnail --threads "$jobs" ;;
        pillow-optimized) measure "$1" "$py" "$root/bench/pillow_pipeline.py" "$dir" "$work/out" --optimized --jobs "$jobs" ;;
    esac
}
# The programs a round measures. Every other round runs them in the reverse
# order, so that no program always follows the same one (a round's first
# program had always run right after the Python pool).
programs=(pixelperf-optimized optimized-nosample floor-scaled)
[ -z "$before" ] || programs+=(before-optimized)
programs+=(pixelperf-optimized-1job optimized-nosample-1job floor-scaled-1job seed-optimized floor-full vips
    vips-thumbnail pillow-optimized)
for i in $(seq "$repeat"); do
    echo "round $i/$repeat"
    order=("${programs[@]}")
    if [ $((i % 2)) = 0 ]; then
        order=()
        for ((k = ${#programs[@]} - 1; k >= 0; k--)); do order+=("${programs[k]}"); done
    fi
    for p in "${order[@]}"; do run_program "$p"; done
done

"$py" - "$results" "$n" "$jobs" "$root/bench" <<'PY'
import sys
sys.path.insert(0, sys.argv[4])
from results import read, medians, spread as spread_of, WALL, CPU, RSS
rows, n, jobs = read(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
med = medians(rows)
ips = {k: n / v[WALL] for k, v in med.items()}
ref = ips.get("pixelperf-optimized", 1)
print(f"\n{'program':26} {'images/s':>9} {'CPU s':>7} {'peak RSS':>10} {'optimized x':>12}")
for k in ["pixelperf-optimized", "before-optimized", "pixelperf-optimized-1job", "optimized-nosample",
          "optimized-nosample-1job", "floor-scaled", "floor-scaled-1job",
          "floor-full", "vips", "vips-thumbnail", "seed-optimized", "pillow-optimized", "seed-baseline",
          "pillow-baseline", "pixelperf-naive"]:
    if k in med:
        print(f"{k:26} {ips[k]:9.2f} {med[k][CPU]:7.2f} {med[k][RSS]:6.0f} MiB {ref / ips[k]:11.2f}x")


def spread(a, b):
    return spread_of(rows, a, b)

print("\nratios of images/s, per round:")
print(f"  optimized / floor-scaled = {spread('pixelperf-optimized', 'floor-scaled')} (target >= 0.95)")
print(f"  optimized without the sampler / floor-scaled = {spread('optimized-nosample', 'floor-scaled')}")
if "before-optimized" in rows:
    print(f"  optimized / before       = {spread('pixelperf-optimized', 'before-optimized')}")
if "pixelperf-optimized-1job" in rows and "floor-scaled-1job" in rows:
    ours = spread('pixelperf-optimized', 'pixelperf-optimized-1job')
    floor = spread('floor-scaled', 'floor-scaled-1job')
    quiet = spread('optimized-nosample', 'optimized-nosample-1job')
    print(f"  --jobs {jobs} / --jobs 1: optimized {ours}, without the sampler {quiet}, floor {floor}")
for k in ["vips", "vips-thumbnail"]:
    if k in rows:
        print(f"  optimized / {k} = {spread('pixelperf-optimized', k)}")
print("\nthe honest pairs (each seed preset beside the Python program it models):")
for ours, theirs in [("seed-baseline", "pillow-baseline"), ("seed-optimized", "pillow-optimized")]:
    if ours in med and theirs in med:
        print(f"  {ours:15} {ips[ours]:7.2f} images/s {med[ours][RSS]:5.0f} MiB | {theirs:16} "
              f"{ips[theirs]:7.2f} images/s {med[theirs][RSS]:5.0f} MiB | {ips[ours] / ips[theirs]:.2f}x faster")
PY

echo
"$py" "$root/bench/fidelity.py" "$cli" "$dir" --count 8 | tail -1
