#!/usr/bin/env bash
# What keeping frame pointers costs the pipeline.
#
#   bench/framepointers.sh [IMAGE_DIR] [--count N] [--repeat N] [--jobs N]
#
# The call-stack sampler walks frame pointers, so the core and the programs
# are built with -fno-omit-frame-pointer (CMake option PIXELPERF_FRAME_POINTERS,
# on by default). This builds pixelperf-cli once more without them (in
# build-nofp/, Release, the same compiler and flags otherwise) and runs
# `pixelperf-cli run --preset optimized --no-sample` with each build,
# alternating (A B A B ...) for --repeat rounds (default 5), on N (default 44)
# photo-like 2560x1600 JPEGs, as bench/peers.sh does. Prints each build's
# median wall time and CPU time and their ratio per round (median and range):
# with / without, so 1.02 means frame pointers cost 2 %.
set -euo pipefail
source "$(dirname "$0")/common.sh"
count=44 repeat=5 jobs=2 dir=""
bench_options "count repeat jobs" "" "$@"

"$root/scripts/deps.sh" time python3
"$root/scripts/build.sh" >/dev/null
nofp="${PIXELPERF_NOFP_BUILD_DIR:-$root/build-nofp}"
cmake -S "$root" -B "$nofp" -DCMAKE_BUILD_TYPE=Release -DPIXELPERF_FRAME_POINTERS=OFF \
    -DPIXELPERF_BUILD_GUI=OFF >/dev/null
cmake --build "$nofp" --target pixelperf-cli -j"$(nproc)" >/dev/null
for t in "$cli" "$nofp/app/pixelperf-cli"; do
    [ -x "$t" ] || { echo "missing $t (build failed?)" >&2; exit 1; }
done
dir="$(bench_images "$dir" "$count" 2560x1600)"
n=$(find "$dir" -maxdepth 1 -iname '*.jpg' | wc -l)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results"
: >"$results"

measure() {
    local label="$1" program="$2"
    rm -rf "$work/out"
    bench_time "$work/time" "$program" run "$dir" -o "$work/out" --no-history --preset optimized \
        --jobs "$jobs" --no-sample --quiet >/dev/null 2>"$work/err" || {
        echo "$label failed:" >&2; tail -3 "$work/err" >&2; exit 1; }
    read -r wall user sys _ <"$work/time"
    echo "$label $wall $user $sys" >>"$results"
}

echo "Folder: $dir ($n JPEGs); $(nproc) cores; jobs $jobs; $repeat rounds; load $(cut -d' ' -f1-3 /proc/loadavg)"
# One unmeasured run of each first: the files in the page cache, both
# programs' pages loaded.
measure warm-fp "$cli"
measure warm-nofp "$nofp/app/pixelperf-cli"
for i in $(seq "$repeat"); do
    measure with "$cli"
    measure without "$nofp/app/pixelperf-cli"
done

python3 - "$results" "$n" <<'PY'
import sys, statistics
rows, n = {}, int(sys.argv[2])
for line in open(sys.argv[1]):
    label, wall, user, sys_ = line.split()
    rows.setdefault(label, []).append((float(wall), float(user) + float(sys_)))
for label in ["with", "without"]:
    r = rows[label]
    wall = statistics.median(x[0] for x in r)
    cpu = statistics.median(x[1] for x in r)
    print(f"{label + ' frame pointers':24} {n / wall:7.2f} images/s  wall {wall:6.2f} s  CPU {cpu:6.2f} s")
for i, what in [(0, "wall"), (1, "CPU")]:
    ratios = sorted(a[i] / b[i] for a, b in zip(rows["with"], rows["without"]))
    print(f"{what} time, with / without, per round: {statistics.median(ratios):.3f} "
          f"(rounds {ratios[0]:.3f}..{ratios[-1]:.3f})")
PY
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
