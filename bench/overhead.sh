#!/usr/bin/env bash
# What the measuring itself costs, and whether memory stays flat.
#
#   bench/overhead.sh [IMAGE_DIR] [--count N] [--repeat N] [--jobs N]
#
# Without IMAGE_DIR, uses (or generates) N (default 44) photo-like 2560x1600
# JPEGs in build/bench-images, like bench/peers.sh.
#  1. Profiler overhead: `pixelperf-cli run --preset optimized` on 400
#     images (long enough that a run's noise is well under the 2 % asked)
#     with the profiler on and with --no-profile (instrumentation compiled in,
#     not recording), alternating for --repeat rounds (default 3); the
#     medians' ratio. Target: at most 2 %.
#     The call-stack sampler's share of it: the same run (sampling at the
#     default 1 kHz) against one with --no-sample, alternating with the two
#     above. Target: at most 2 % of throughput.
#  2. Memory flatness: peak RSS of the same run on 40 and on 400 images (the
#     folder's files linked over and over; the decode cache is off). Target:
#     400 within 5 % of 40, both at most 100 MiB.
set -euo pipefail
source "$(dirname "$0")/common.sh"
count=44 repeat=3 jobs=2 dir=""
bench_options "count repeat jobs" "" "$@"

"$root/scripts/deps.sh" time python3
[ -x "$cli" ] || "$root/scripts/build.sh"
dir="$(bench_images "$dir" "$count" 2560x1600)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
files=$(find "$dir" -maxdepth 1 -iname '*.jpg' | wc -l)
bench_link "$dir" 40 "$work/in40"
bench_link "$dir" 400 "$work/in400"

# run LABEL DIR [options]: appends "LABEL wall peak_rss_kib" to the results.
run() {
    local label="$1" in="$2"; shift 2
    rm -rf "$work/out"
    /usr/bin/time -f "%e %M" -o "$work/time" "$cli" run "$in" -o "$work/out" --no-history --preset optimized \
        --off decode-cache --jobs "$jobs" --quiet "$@" >/dev/null
    echo "$label $(cat "$work/time")" >>"$work/results"
}
: >"$work/results"
echo "Profiler on/off on 400 images ($files distinct), $repeat rounds; RSS on 40 and 400 images; jobs $jobs"
for i in $(seq "$repeat"); do
    run profiled "$work/in400"
    run unprofiled "$work/in400" --no-profile
    run unsampled "$work/in400" --no-sample
done
run rss40 "$work/in40"
run rss400 "$work/in400"
run rss40 "$work/in40"
run rss400 "$work/in400"

python3 - "$work/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss = line.split()
    rows.setdefault(label, []).append((float(wall), int(rss) / 1024))
on = statistics.median(w for w, _ in rows["profiled"])
off = statistics.median(w for w, _ in rows["unprofiled"])
print(f"profiler on  {on:6.2f} s (median)\nprofiler off {off:6.2f} s (median)")
print(f"profiler overhead = {100 * (on / off - 1):+.1f} % (target <= 2 %)")
nosample = statistics.median(w for w, _ in rows["unsampled"])
print(f"call stacks not sampled {nosample:6.2f} s (median)")
print(f"sampler overhead = {100 * (on / nosample - 1):+.1f} % at 1 kHz (target <= 2 %)")
r40 = max(r for _, r in rows["rss40"])
r400 = max(r for _, r in rows["rss400"])
print(f"peak RSS 40 images {r40:.1f} MiB, 400 images {r400:.1f} MiB: "
      f"{100 * (r400 / r40 - 1):+.1f} % (target within 5 %, <= 100 MiB)")
PY
