#!/usr/bin/env bash
# How long the window's thread is kept busy at a stretch during a large run.
#
#   bench/gui-stall.sh [IMAGE_DIR] [--count N] [--images N] [--repeat N]
#
# Runs the desktop app (offscreen, or under Xvfb with PIXELPERF_BENCH_XVFB=1)
# on N images (default 400: the folder's JPEGs linked over and over; without
# IMAGE_DIR, 44 generated 2560x1600 JPEGs as in bench/peers.sh) with the
# optimized preset and the live charts, --repeat times (default 3). A 10 ms
# timer on the GUI thread measures how late it fires: the longest the window
# could not react. Prints each run's worst and the worst of all. Target:
# never more than 50 ms. Also prints how long the timeline's paints took
# (timed inside the widget: the worst and the mean; target <= 16 ms).
set -euo pipefail
source "$(dirname "$0")/common.sh"
gui="$build/app/pixelperf"
count=44 images=400 repeat=3 dir=""
bench_options "count images repeat" "" "$@"

[ "${PIXELPERF_BENCH_XVFB:-0}" = 1 ] && "$root/scripts/deps.sh" xvfb xauth
[ -x "$gui" ] && [ -x "$cli" ] || "$root/scripts/build.sh"
dir="$(bench_images "$dir" "$count" 2560x1600)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bench_link "$dir" "$images" "$work/in"
# A settings folder of its own: the default preset, no remembered folders.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
mkdir -p "$HOME"
export PIXELPERF_TIMELINE_PAINT_STATS=1

worst=0
echo "GUI thread stalls: $images images, optimized, live charts, $repeat runs"
for i in $(seq "$repeat"); do
    if [ "${PIXELPERF_BENCH_XVFB:-0}" = 1 ]; then
        out="$(xvfb-run -a -s '-screen 0 1600x1000x24' "$gui" "$work/in" --preset optimized --run --quit-after-run --stall-probe 2>/dev/null)"
    else
        out="$(QT_QPA_PLATFORM=offscreen "$gui" "$work/in" --preset optimized --run --quit-after-run --stall-probe 2>/dev/null)"
    fi
    line="$(grep '^GUI thread' <<<"$out" || true)"
    [ -n "$line" ] || { echo "run $i: no probe output" >&2; exit 1; }
    echo "run $i: $line"
    grep "^stall of" <<<"$out" | sed "s/^/    /" || true
    grep "^timeline paints" <<<"$out" | sed "s/^/    /" || true
    w="$(sed -E 's/.*worst ([0-9]+) ms late.*/\1/' <<<"$line")"
    [ "$w" -gt "$worst" ] && worst="$w"
done
echo "worst stall over $repeat runs: $worst ms (target <= 50 ms)"
