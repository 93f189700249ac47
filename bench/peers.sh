#!/usr/bin/env bash
# PixelPerf against its peers on the same folder of large JPEGs, in one run.
#
#   bench/peers.sh [IMAGE_DIR] [--count N] [--size WxH] [--repeat N] [--jobs N]
#
# Without IMAGE_DIR, generates N (default 44) photo-like 2560x1600 JPEGs once.
# Runs, alternating (A B A B ...) for --repeat rounds (default 3):
#   pixelperf-cli --preset optimized (and --preset baseline once)
#   the codec floor: libjpeg-turbo decode + encode only, full and DCT-scaled
#   libvips 8.x: the same pipeline, and with shrink-on-load (thumbnail)
#   Pillow: the Python demo's optimized version (process pool) and baseline once
# and prints images/s, CPU seconds and peak RSS (median of the rounds) and the
# ratios, then the fidelity of the optimized output: PSNR against Pillow's on
# 8 of the images (bench/fidelity.py). Peers are benchmark-only dependencies,
# installed here.
set -euo pipefail
source "$(dirname "$0")/common.sh"
count=44 size=2560x1600 repeat=3 jobs=2 dir=""
while [ $# -gt 0 ]; do
    case "$1" in
        --count) count="$2"; shift 2 ;;
        --size) size="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) dir="$1"; shift ;;
    esac
done

"$root/scripts/deps.sh" time python3 python3-pil libvips-dev pkg-config
"$root/scripts/build.sh" >/dev/null
for t in "$cli" "$build/bench/pixelperf-bench-floor" "$build/bench/pixelperf-bench-vips"; do
    [ -x "$t" ] || { echo "missing $t (build failed?)" >&2; exit 1; }
done
dir="$(bench_images "$dir" "$count" "$size")"
n=$(find "$dir" -maxdepth 1 -iname '*.jpg' | wc -l)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results"
: >"$results"

# measure LABEL CMD...: wall, CPU and peak RSS of the whole command (GNU time;
# for a process pool, the largest process's RSS).
measure() {
    local label="$1"; shift
    rm -rf "$work/out"; mkdir -p "$work/out"
    sync
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
        echo "$label failed:" >&2; tail -3 "$work/err" >&2; return 0; }
    read -r wall user sys rss <"$work/time"
    echo "$label $wall $user $sys $rss" >>"$results"
}

py=/usr/bin/python3
echo "Folder: $dir ($n JPEGs); $(nproc) cores; jobs $jobs; $repeat rounds"
measure "pixelperf-baseline" "$cli" run "$dir" -o "$work/out" --preset baseline --quiet
measure "pillow-baseline" "$py" "$root/bench/pillow_pipeline.py" "$dir" "$work/out"
for i in $(seq "$repeat"); do
    echo "round $i/$repeat"
    measure "pixelperf-optimized" "$cli" run "$dir" -o "$work/out" --preset optimized --jobs "$jobs" --quiet
    measure "floor-scaled" "$build/bench/pixelperf-bench-floor" "$dir" --jobs "$jobs" --scaled
    measure "floor-full" "$build/bench/pixelperf-bench-floor" "$dir" --jobs "$jobs"
    measure "vips" "$build/bench/pixelperf-bench-vips" "$dir" "$work/out" --threads "$jobs"
    measure "vips-thumbnail" "$build/bench/pixelperf-bench-vips" "$dir" "$work/out" --thumbnail --threads "$jobs"
    measure "pillow-optimized" "$py" "$root/bench/pillow_pipeline.py" "$dir" "$work/out" --optimized --jobs "$jobs"
done

"$py" - "$results" "$n" <<'PY'
import sys, statistics
rows, n = {}, int(sys.argv[2])
for line in open(sys.argv[1]):
    label, wall, user, sys_, rss = line.split()
    rows.setdefault(label, []).append((float(wall), float(user) + float(sys_), int(rss) / 1024))
med = {k: tuple(statistics.median(r[i] for r in v) for i in range(3)) for k, v in rows.items()}
ips = {k: n / v[0] for k, v in med.items()}
ref = ips.get("pixelperf-optimized", 1)
print(f"\n{'program':22} {'images/s':>9} {'CPU s':>7} {'peak RSS':>10} {'pixelperf x':>12}")
for k in ["pixelperf-optimized", "floor-scaled", "floor-full", "vips", "vips-thumbnail",
          "pillow-optimized", "pillow-baseline", "pixelperf-baseline"]:
    if k in med:
        print(f"{k:22} {ips[k]:9.2f} {med[k][1]:7.2f} {med[k][2]:6.0f} MiB {ref / ips[k]:11.2f}x")
if "floor-scaled" in ips:
    print(f"\npixelperf-optimized / floor-scaled = {ref / ips['floor-scaled']:.2f} (target >= 0.75)")
for k in ["vips", "vips-thumbnail", "pillow-optimized"]:
    if k in ips:
        print(f"pixelperf-optimized / {k} = {ref / ips[k]:.2f} (target >= 3)")
PY

echo
"$py" "$root/bench/fidelity.py" "$cli" "$dir" --count 8 | tail -1
