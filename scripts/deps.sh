#!/usr/bin/env bash
# Installs what building and testing PixelPerf needs on Debian 12 / Ubuntu,
# skipping what is already there. Uses sudo when not root.
set -euo pipefail

# Every package is named here, even one that another would bring: apt runs
# with --no-install-recommends, so what a Recommends brings on a developer's
# machine is missing on a fresh one (.ci/run checks on a fresh Debian 12).
packages=(
    build-essential cmake pkg-config git
    qt6-base-dev qt6-charts-dev libjpeg-dev libgl-dev
    # PNG is decoded and encoded with libspng (core/pipeline/stages); its
    # -dev package brings the run-time library, libspng0, which the .deb's
    # Depends gets from dpkg-shlibdeps.
    libspng-dev
    # The call-stack sampler names frames with elfutils' libdw (core/profiling).
    libdw-dev
    # Qt6Charts' CMake package needs Qt6OpenGL's, which is only a Recommends
    # of qt6-base-dev.
    libqt6opengl6-dev
    # Loaded at run time, so nothing links them: the platform plugins (xcb
    # for a display, offscreen for the GUI tests), the WebP reader, and Qt
    # SQL's SQLite driver (the run history; Qt6Sql itself is in qt6-base-dev).
    qt6-qpa-plugins qt6-image-formats-plugins libqt6sql6-sqlite
    # Packaging and its test (tests/installer): cpack's DEB generator, its
    # dpkg-shlibdeps, the validators of the desktop entry and metainfo, and
    # lintian for the package as a whole.
    dpkg-dev file desktop-file-utils appstream lintian
    # tests/cli/tst_clidocs: checks the zsh completion's syntax.
    zsh
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
