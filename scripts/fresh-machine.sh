#!/usr/bin/env bash
# Runs commands of the README in a brand-new minimal Debian 12, as a newcomer
# would on a fresh machine: a chroot made with mmdebstrap (the base system,
# git, sudo and ca-certificates, nothing else), a clone of this repository's
# committed state, an unprivileged user with password-less sudo, no display.
# Whatever the scripts forget to install fails here, even when every
# developer's machine happens to have it.
#
#   scripts/fresh-machine.sh [COMMAND...]
#
# Each COMMAND (default: ./scripts/run.sh, then ./scripts/test.sh) runs in the
# clone's folder in turn, its output shown and logged, then its wall and CPU
# time; the first that fails stops the rest. CI is passed on (scripts/build.sh then builds
# with -Werror). Needs root, for the chroot; installs mmdebstrap when
# missing. The system is made anew every time; only the downloaded .deb files
# are kept, in $PIXELPERF_FRESH_DIR/apt-archives, so that a second run does
# not fetch them again (they are the archive's, unchanged).
#   PIXELPERF_FRESH_DIR   work folder (default /var/tmp/pixelperf-fresh); the
#                         full log is its log, the system its root/
#   PIXELPERF_FRESH_KEEP  1: keep root/ after a success too (default: removed;
#                         it is kept after a failure, to look into)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && git rev-parse --show-toplevel)"
dir="${PIXELPERF_FRESH_DIR:-/var/tmp/pixelperf-fresh}"
root="$dir/root"
log="$dir/log"
if [ $# -eq 0 ]; then
    set -- ./scripts/run.sh ./scripts/test.sh
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "$0: needs root (it makes a chroot)" >&2
    exit 2
fi
if ! command -v mmdebstrap >/dev/null 2>&1; then
    # With its Recommends (the tools of its other modes): as Debian installs it.
    echo "Installing mmdebstrap"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq mmdebstrap >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq mmdebstrap >/dev/null; }
fi

mounts=(proc sys dev var/cache/apt/archives)
unmount_all() {
    local m i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        m="$root/${mounts[i]}"
        if mountpoint -q "$m"; then
            umount -R "$m" 2>/dev/null || umount -R -l "$m"
        fi
    done
}
trap unmount_all EXIT
unmount_all
if grep -q " $root/" /proc/mounts; then
    echo "$0: something is still mounted under $root; unmount it first" >&2
    exit 2
fi
rm -rf --one-file-system "$root" "$log"
mkdir -p "$dir/apt-archives/partial"

started=$SECONDS
echo "Making a minimal Debian 12 in $root"
mmdebstrap --variant=minbase --include=ca-certificates,git,sudo bookworm "$root" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main" >"$dir/mmdebstrap.log" 2>&1 \
    || { cat "$dir/mmdebstrap.log" >&2; exit 1; }
chroot "$root" useradd -m -s /bin/bash newcomer
echo "newcomer ALL=(ALL) NOPASSWD:ALL" >"$root/etc/sudoers.d/newcomer"
git clone -q "$repo" "$root/home/newcomer/project"
chroot "$root" chown -R newcomer:newcomer /home/newcomer/project
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount --bind "$dir/apt-archives" "$root/var/cache/apt/archives"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
echo "Debian 12 ready in $((SECONDS - started)) s; the commands run as a new user, with no display"

env_line="unset DISPLAY WAYLAND_DISPLAY XDG_RUNTIME_DIR"
if [ -n "${CI:-}" ]; then
    env_line+="; export CI=$(printf '%q' "$CI")"
fi
rc=0
for command in "$@"; do
    echo "=== [fresh Debian 12] $command" | tee -a "$log"
    set +e
    # bash's `time` counts the CPU of every process the command waited for.
    chroot "$root" su - newcomer -c "cd ~/project && $env_line
        TIMEFORMAT='took %0R s (CPU %0U s user + %0S s system)'; time ($command)" 2>&1 | tee -a "$log"
    rc=${PIPESTATUS[0]}
    set -e
    if [ "$rc" -ne 0 ]; then
        echo "$0: '$command' failed (exit $rc) on a fresh Debian 12; the system is kept in $root"
        exit "$rc"
    fi
done
echo "Fresh Debian 12: every command passed in $((SECONDS - started)) s"
unmount_all
if [ "${PIXELPERF_FRESH_KEEP:-0}" != 1 ]; then
    rm -rf --one-file-system "$root"
fi
