#!/usr/bin/env bash
# The four presets on a folder of large JPEGs, side by side in one run.
#
#   bench/presets.sh [IMAGE_DIR] [--count N] [--size WxH] [--repeat N] [--ablate]
#
# Without IMAGE_DIR, generates N (default 44) photo-like 2560x1600 JPEGs once
# into build/bench-images. Runs pixelperf-cli with each preset (optimized and
# seed-optimized --repeat times, alternating; naive and seed-baseline once:
# they are slow) and prints images/s, CPU seconds, peak RSS and the ratios
# (against naive, all off, and against optimized). --ablate also runs
# optimized with each toggle turned off in turn.
set -euo pipefail
source "$(dirname "$0")/common.sh"
count=44 size=2560x1600 repeat=3 ablate=0 dir=""
bench_options "count size repeat" "ablate" "$@"

"$root/scripts/deps.sh" python3
[ -x "$cli" ] || "$root/scripts/build.sh"
dir="$(bench_images "$dir" "$count" "$size")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# run LABEL ARGS... : one measured run; appends "label ips cpu_s rss_mib" to results.
run() {
    local label="$1"; shift
    local report="$work/$label.$RANDOM.json"
    rm -rf "$work/out"
    "$cli" run "$dir" -o "$work/out" --no-history --quiet --report "$report" "$@" || true
    python3 - "$report" "$label" >>"$work/results" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["summary"]
print(sys.argv[2], r["images_per_second"], r["cpu_ms"] / 1000, r["peak_rss_bytes"] / 2**20, r["images_ok"])
PY
}

: >"$work/results"
echo "Folder: $dir ($(find "$dir" -maxdepth 1 -type f | wc -l) files); machine: $(nproc) cores"
run naive --preset naive
run seed-baseline --preset seed-baseline
for i in $(seq "$repeat"); do
    run optimized --preset optimized
    run seed-optimized --preset seed-optimized
done
if [ "$ablate" = 1 ]; then
    # Interleaved, round by round, so that drift favours no toggle.
    toggles=$("$cli" toggles | awk '$3 == "same" || $3 == "changes" {print $1}')
    for i in $(seq "$repeat"); do
        for t in $toggles; do
            run "optimized-without-$t" --preset optimized --off "$t"
        done
    done
fi

python3 - "$work/results" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    label, ips, cpu, rss, ok = line.split()
    rows.setdefault(label, []).append((float(ips), float(cpu), float(rss)))
def med(label, i):
    return statistics.median(r[i] for r in rows[label])
opt = med("optimized", 0)
print(f"{'configuration':36} {'images/s':>9} {'CPU s':>7} {'peak RSS':>10} {'vs naive':>12} {'vs optimized':>13}")
for label in rows:
    ips, cpu, rss = med(label, 0), med(label, 1), med(label, 2)
    print(f"{label:36} {ips:9.2f} {cpu:7.2f} {rss:7.1f} MiB {ips / med('naive', 0):11.2f}x {ips / opt:12.2f}x")
PY
