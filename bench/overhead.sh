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

# run LABEL DIR [options]: appends "LABEL process_wall peak_rss_kib run_wall_s"
# to the results: the process's wall time (start-up, the run, naming the
# sampled frames after it, the report) and the run's own (the report's
# summary: what images/s is computed from).
run() {
    local label="$1" in="$2"; shift 2
    rm -rf "$work/out" "$work/r.json"
    bench_time "$work/time" "$cli" run "$in" -o "$work/out" --no-history --preset optimized \
        --off decode-cache --jobs "$jobs" --quiet --report "$work/r.json" "$@" >/dev/null
    local wall user sys rss
    read -r wall user sys rss <"$work/time"
    echo "$label $wall $rss $(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"]["wall_ms"] / 1000)' "$work/r.json")" >>"$work/results"
}
: >"$work/results"
echo "Profiler on/off on 400 images ($files distinct), $repeat rounds; RSS on 40 and 400 images; jobs $jobs"
for i in $(seq "$repeat"); do
    run profiled "$work/in400"
    run unprofiled "$work/in400" --no-profile
    run unsampled "$work/in400" --no-sample
done
for i in 1 2; do
    run rss40 "$work/in40"
    run rss400 "$work/in400"
    run rss40-unsampled "$work/in40" --no-sample
    run rss400-unsampled "$work/in400" --no-sample
done

python3 - "$work/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss, own = line.split()
    rows.setdefault(label, []).append((float(wall), int(rss) / 1024, float(own)))

def ratio(a, b, i):
    # a/b per round (the runs of a round are neighbours): median and range, in %.
    r = sorted(100 * (x[i] / y[i] - 1) for x, y in zip(rows[a], rows[b]))
    return f"{statistics.median(r):+.1f} % (rounds {r[0]:+.1f} .. {r[-1]:+.1f})"

for label, what in [("profiled", "profiler on, sampling at 1 kHz"), ("unsampled", "profiler on, --no-sample"),
                    ("unprofiled", "--no-profile")]:
    print(f"{what:32} process {statistics.median(r[0] for r in rows[label]):5.2f} s, "
          f"run {statistics.median(r[2] for r in rows[label]):5.2f} s (medians)")
print(f"profiler (spans) overhead, the run's time:  {ratio('unsampled', 'unprofiled', 2)} (target <= 2 %)")
print(f"sampler overhead at 1 kHz, the run's time:  {ratio('profiled', 'unsampled', 2)} (target <= 2 %)")
print(f"sampler, the process's time (with naming):  {ratio('profiled', 'unsampled', 0)}")
for suffix, what in [("", "sampling"), ("-unsampled", "--no-sample")]:
    r40 = max(r[1] for r in rows["rss40" + suffix])
    r400 = max(r[1] for r in rows["rss400" + suffix])
    print(f"peak RSS ({what}) 40 images {r40:.1f} MiB, 400 images {r400:.1f} MiB: "
          f"{100 * (r400 / r40 - 1):+.1f} % (target within 5 %, <= 100 MiB)")
PY
