#!/usr/bin/env bash
# How long the window's thread is kept busy at a stretch during a large run,
# and the window's peak memory.
#
#   bench/gui-stall.sh [IMAGE_DIR] [--count N] [--images N] [--repeat N]
#   bench/gui-stall.sh [IMAGE_DIR] --small N [--repeat N]
#
# Runs the desktop app (offscreen, or under Xvfb with PIXELPERF_BENCH_XVFB=1)
# on N images (default 400: the folder's JPEGs linked over and over; without
# IMAGE_DIR, 44 generated 2560x1600 JPEGs as in bench/peers.sh) with the
# optimized preset and the live charts, --repeat times (default 3). A 10 ms
# timer on the GUI thread measures how late it fires: the longest the window
# could not react. Prints each run's worst and the worst of all. Target:
# never more than 50 ms. Also prints how long the timeline's paints took
# (timed inside the widget: the worst and the mean; target <= 16 ms), the
# worst stall while the folder was listed (from the window's first paint to
# the run's start), and the app's peak RSS (GNU time; target <= 150 MiB at
# 100,000 small images).
# --small N: N small images (64x48) at output size 32x24 (set in the run's
# own settings, as a user sets it in the panel): IMAGE_DIR's first N JPEGs
# (the folder itself when it has exactly N), else the folder bench/scale.sh
# generates under build/bench-images (generated once). The window keeps its
# defaults otherwise: the decode cache and the history (a scratch database).
set -euo pipefail
source "$(dirname "$0")/common.sh"
gui="$build/app/pixelperf"
count=44 images=400 repeat=3 small=0 dir=""
bench_options "count images repeat small" "" "$@"

"$root/scripts/deps.sh" time
[ "${PIXELPERF_BENCH_XVFB:-0}" = 1 ] && "$root/scripts/deps.sh" xvfb xauth
[ -x "$gui" ] && [ -x "$cli" ] || "$root/scripts/build.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A settings folder of its own: the default preset, no remembered folders,
# and a history of its own (the window keeps one by default).
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export PIXELPERF_DB="$work/history.sqlite"
mkdir -p "$HOME"
export PIXELPERF_TIMELINE_PAINT_STATS=1
if [ "$small" -gt 0 ]; then
    images="$small"
    dir="$(bench_images "$dir" "$small" 64x48)"
    if [ "$(find "$dir" -maxdepth 1 -iname '*.jpg' | wc -l)" -eq "$small" ]; then
        ln -s "$(realpath "$dir")" "$work/in"
    else
        mkdir -p "$work/in"
        find "$(realpath "$dir")" -maxdepth 1 -iname '*.jpg' | sort | sed -n "1,${small}p" \
            | xargs -d '\n' ln -s -t "$work/in"
    fi
    mkdir -p "$XDG_CONFIG_HOME/PixelPerf"
    printf '[params]\nwidth=32\nheight=24\n' >"$XDG_CONFIG_HOME/PixelPerf/pixelperf.conf"
    label="$images small images (64x48 to 32x24)"
else
    dir="$(bench_images "$dir" "$count" 2560x1600)"
    bench_link "$dir" "$images" "$work/in"
    label="$images images"
fi

worst=0 peak=0
echo "GUI thread stalls: $label, optimized, live charts, $repeat runs"
for i in $(seq "$repeat"); do
    rm -rf "$XDG_DATA_HOME"
    timed=(/usr/bin/time -v -o "$work/time.txt" "$gui" "$work/in" --preset optimized --run --quit-after-run --stall-probe)
    if [ "${PIXELPERF_BENCH_XVFB:-0}" = 1 ]; then
        out="$(xvfb-run -a -s '-screen 0 1600x1000x24' "${timed[@]}" 2>/dev/null)"
    else
        out="$(QT_QPA_PLATFORM=offscreen "${timed[@]}" 2>/dev/null)"
    fi
    line="$(grep '^GUI thread during' <<<"$out" || true)"
    [ -n "$line" ] || { echo "run $i: no probe output" >&2; exit 1; }
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
    echo "run $i: $line"
    grep -e "^stall of" -e "^timeline paints" -e "^GUI thread while" <<<"$out" | sed "s/^/    /" || true
    echo "    $(find "$XDG_DATA_HOME" -name '*.jpg' | wc -l) images written, peak RSS $rss MiB, wall $(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")"
    w="$(sed -E 's/.*worst ([0-9]+) ms late.*/\1/' <<<"$line")"
    [ "$w" -gt "$worst" ] && worst="$w"
    [ "$rss" -gt "$peak" ] && peak="$rss"
done
echo "worst stall over $repeat runs: $worst ms (target <= 50 ms); peak RSS $peak MiB (target <= 150 MiB at 100,000 small images)"
