#!/usr/bin/env bash
# Installs what building and testing PixelPerf needs on Debian 12 / Ubuntu,
# skipping what is already there. Uses sudo when not root.
set -euo pipefail

packages=(
    build-essential cmake pkg-config git
    qt6-base-dev qt6-charts-dev qt6-image-formats-plugins
    libjpeg-dev libgl-dev
    # Packaging and its test (tests/installer): cpack's DEB generator, its
    # dpkg-shlibdeps, and the validators of the desktop entry and metainfo.
    dpkg-dev file desktop-file-utils appstream
)
# Extra packages a caller asks for (e.g. the benchmark's peers).
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "Installing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "error: need root or sudo to install: ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
