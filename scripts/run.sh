#!/usr/bin/env bash
# One command: install what is missing, build, and start PixelPerf on the
# bundled sample images. With no display, runs the headless CLI on them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${PIXELPERF_BUILD_DIR:-$root/build}"
"$root/scripts/deps.sh"
"$root/scripts/build.sh"
samples="$root/resources/samples"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$build/app/pixelperf" ]; then
    exec "$build/app/pixelperf" "$samples" "$@"
fi
echo "No display: running the headless CLI on the bundled samples."
exec "$build/app/pixelperf-cli" run "$samples" -o "$build/samples-processed" \
    --report "$build/samples-report.json" "$@"
