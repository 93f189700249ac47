#!/usr/bin/env bash
# The installer test: build the .deb from an already-built tree, unpack it into
# a temporary root and check that what it installs works and validates.
#   tst_package_deb.sh BUILD_DIR
# Exit 77 (CTest: skipped) only when a packaging tool is missing; scripts/deps.sh
# installs them all.
set -euo pipefail
# (No `| grep -q` below: with pipefail, grep quitting early makes the writer die
# of SIGPIPE and the pipeline fail at random.)

build="$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)"
fail() { echo "FAIL: $*" >&2; exit 1; }

for tool in cpack dpkg-deb dpkg-shlibdeps file readelf desktop-file-validate appstreamcli; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed (scripts/deps.sh installs it)"
        exit 77
    fi
done
[ -f "$build/CPackConfig.cmake" ] || fail "no CPackConfig.cmake in $build"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pixelperf-deb.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# The package lands in the temporary folder, so a `package` target or another
# run of this test in the same tree is not disturbed.
echo "== cpack -G DEB"
if ! (cd "$build" && cpack -G DEB -B "$tmp/packages" --config "$build/CPackConfig.cmake") \
        >"$tmp/cpack.log" 2>&1; then
    cat "$tmp/cpack.log" >&2
    fail "cpack -G DEB failed"
fi
shopt -s nullglob
debs=("$tmp"/packages/pixelperf_*_*.deb)
shopt -u nullglob
[ ${#debs[@]} -eq 1 ] || { ls -l "$tmp/packages" >&2; fail "expected one pixelperf_<version>_<arch>.deb"; }
deb="${debs[0]}"
echo "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

echo "== dpkg-deb -I"
dpkg-deb -I "$deb" | sed 's/^/  /'
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = pixelperf ] || fail "Package is '$(field Package)'"
[ "$(field Section)" = graphics ] || fail "Section is '$(field Section)'"
field Maintainer | grep 'pixelperf@example.invalid' >/dev/null || fail "Maintainer is '$(field Maintainer)'"
field Description | grep -i 'image-processing pipeline' >/dev/null || fail "no Description"
version="$(field Version)"
arch="$(field Architecture)"
[ "$(basename "$deb")" = "pixelperf_${version}_${arch}.deb" ] || fail "file name does not match $version/$arch"
depends="$(field Depends)"
# From dpkg-shlibdeps: the Qt libraries both programs link, and libjpeg.
for lib in libqt6core6 libqt6gui6 libqt6widgets6 libqt6charts6 libjpeg; do
    grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
grep -q 'qt6-qpa-plugins' <<<"$depends" || fail "Depends lacks qt6-qpa-plugins: $depends"

echo "== dpkg-deb -x"
root="$tmp/root"
dpkg-deb -x "$deb" "$root"
for f in usr/bin/pixelperf usr/bin/pixelperf-cli \
        usr/share/applications/pixelperf.desktop \
        usr/share/metainfo/io.github.pixelperf.PixelPerf.metainfo.xml \
        usr/share/icons/hicolor/scalable/apps/pixelperf.svg \
        usr/share/icons/hicolor/32x32/apps/pixelperf.png \
        usr/share/icons/hicolor/64x64/apps/pixelperf.png \
        usr/share/icons/hicolor/128x128/apps/pixelperf.png \
        usr/share/icons/hicolor/256x256/apps/pixelperf.png \
        usr/share/doc/pixelperf/README.md usr/share/doc/pixelperf/LICENSE; do
    [ -s "$root/$f" ] || fail "$f is not in the package"
done
[ -x "$root/usr/bin/pixelperf" ] && [ -x "$root/usr/bin/pixelperf-cli" ] || fail "programs not executable"
# Installed programs must not look into the build tree for libraries.
if readelf -d "$root/usr/bin/pixelperf-cli" "$root/usr/bin/pixelperf" | grep -E 'R(UN)?PATH' >/dev/null; then
    fail "installed programs carry an RPATH"
fi
samples="$root/usr/share/pixelperf/samples"
nsamples=$(find "$samples" -maxdepth 1 -type f | wc -l)
[ "$nsamples" -gt 0 ] || fail "no bundled samples in usr/share/pixelperf/samples"

echo "== pixelperf-cli --version"
out="$("$root/usr/bin/pixelperf-cli" --version)" || fail "pixelperf-cli --version exited $?"
echo "  $out"
grep -q "$version" <<<"$out" || fail "--version does not print $version"

echo "== pixelperf --version (offscreen)"
out="$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/pixelperf" --version)" || fail "pixelperf --version failed"
echo "  $out"
grep -q "$version" <<<"$out" || fail "pixelperf --version does not print $version"

echo "== pixelperf-cli run on the bundled samples"
"$root/usr/bin/pixelperf-cli" run "$samples" -o "$tmp/out" --report "$tmp/report.json" --quiet \
    >"$tmp/run.log" 2>&1 || { cat "$tmp/run.log" >&2; fail "pixelperf-cli run exited non-zero"; }
nout=$(find "$tmp/out" -maxdepth 1 -type f -name 'processed_*' | wc -l)
[ "$nout" -eq "$nsamples" ] || fail "$nout outputs for $nsamples samples"
[ -s "$tmp/report.json" ] || fail "no report written"
echo "  $nout of $nsamples samples processed"

echo "== desktop-file-validate"
# Hints are advice; errors and warnings fail (the tool exits 0 on warnings).
dfv="$(desktop-file-validate "$root/usr/share/applications/pixelperf.desktop" 2>&1)" \
    || { echo "$dfv" >&2; fail "desktop-file-validate"; }
[ -z "$dfv" ] || echo "$dfv"
if grep -Eq '(error|warning):' <<<"$dfv"; then
    fail "desktop-file-validate reports problems"
fi
echo "== appstreamcli validate --no-net"
appstreamcli validate --no-net "$root/usr/share/metainfo/io.github.pixelperf.PixelPerf.metainfo.xml" \
    || fail "appstreamcli validate"
# The tree as a whole: metainfo, desktop entry and icon agree with each other.
appstreamcli validate-tree --no-net "$root" || fail "appstreamcli validate-tree"
grep -q "<release version=\"$version\"" "$root/usr/share/metainfo/io.github.pixelperf.PixelPerf.metainfo.xml" \
    || fail "the metainfo has no release entry for $version"

echo "PASS"
