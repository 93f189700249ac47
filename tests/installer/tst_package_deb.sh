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

for tool in cpack dpkg-deb dpkg-shlibdeps dpkg-parsechangelog file readelf desktop-file-validate appstreamcli \
        lintian man; do
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
# From dpkg-shlibdeps: the Qt libraries both programs link, libjpeg, libspng
# (PNG), and elfutils' libdw (the call-stack sampler's symbolizer).
for lib in libqt6core6 libqt6gui6 libqt6widgets6 libqt6charts6 libjpeg libspng0 libdw1; do
    grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
grep -q 'qt6-qpa-plugins' <<<"$depends" || fail "Depends lacks qt6-qpa-plugins: $depends"
grep -q 'libqt6sql6-sqlite' <<<"$depends" || fail "Depends lacks libqt6sql6-sqlite (the history's driver): $depends"

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
        usr/share/doc/pixelperf/README.md usr/share/doc/pixelperf/copyright \
        usr/share/doc/pixelperf/changelog.gz \
        usr/share/man/man1/pixelperf.1.gz usr/share/man/man1/pixelperf-cli.1.gz \
        usr/share/bash-completion/completions/pixelperf-cli \
        usr/share/zsh/vendor-completions/_pixelperf-cli; do
    [ -s "$root/$f" ] || fail "$f is not in the package"
done
[ ! -e "$root/usr/share/doc/pixelperf/LICENSE" ] || fail "LICENSE beside copyright (lintian: extra-license-file)"
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

# The desktop program answers --help and --version, and refuses a wrong
# preset, with no display at all (before the QApplication, which would abort).
nodisplay=(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM)
echo "== pixelperf --version, --help (no display)"
out="$("${nodisplay[@]}" "$root/usr/bin/pixelperf" --version 2>&1)" || fail "pixelperf --version failed: $out"
echo "  $out"
grep -q "$version" <<<"$out" || fail "pixelperf --version does not print $version"
gui_help="$("${nodisplay[@]}" "$root/usr/bin/pixelperf" --help 2>&1)" || fail "pixelperf --help failed: $gui_help"
grep -q -- '--preset <name>' <<<"$gui_help" || fail "pixelperf --help: $gui_help"
set +e
out="$("${nodisplay[@]}" "$root/usr/bin/pixelperf" --preset turbo 2>&1)"
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "unknown preset 'turbo'" <<<"$out" || fail "pixelperf --preset turbo: exit $rc: $out"

echo "== hardening (Debian's flags: fortify, stack protector, relro, bind now)"
for program in pixelperf pixelperf-cli; do
    elf="$root/usr/bin/$program"
    readelf -lW "$elf" | grep GNU_RELRO >/dev/null || fail "$program: no RELRO segment"
    readelf -dW "$elf" | grep -E 'FLAGS.*(BIND_NOW|NOW)' >/dev/null || fail "$program: not linked with -z now"
    symbols="$(readelf --dyn-syms -W "$elf")"
    grep '__stack_chk_fail' <<<"$symbols" >/dev/null || fail "$program: no stack protector"
    grep -E '__[a-z_]+_chk(@| )' <<<"$symbols" >/dev/null || fail "$program: no fortified functions"
    echo "  $program: relro, bind now, stack protector, fortified functions"
    # The sampler names our own functions (anonymous-namespace ones too)
    # from the symbol table: the package keeps it.
    readelf -SW "$elf" | grep -F ' .symtab ' >/dev/null || fail "$program: stripped of .symtab"
    readelf -sW "$elf" | grep -F 'computeAxisWeights' >/dev/null || fail "$program: no symbol computeAxisWeights"
    echo "  $program: keeps its symbol table"
done

echo "== copyright (DEP-5) and changelog"
copyright="$root/usr/share/doc/pixelperf/copyright"
head -n1 "$copyright" | grep -x 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
    >/dev/null || fail "copyright is not machine-readable (DEP-5)"
grep -x 'License: MIT' "$copyright" >/dev/null || fail "copyright has no MIT licence paragraph"
grep -F ' Permission is hereby granted, free of charge' "$copyright" >/dev/null \
    || fail "copyright lacks the licence's text"
changelog_version="$(zcat "$root/usr/share/doc/pixelperf/changelog.gz" | dpkg-parsechangelog -l - -S Version)"
[ "$changelog_version" = "$version" ] || fail "changelog's last entry is $changelog_version, the package $version"
echo "  copyright: DEP-5; changelog: $changelog_version"

echo "== man pages"
for page in pixelperf pixelperf-cli; do
    file="$root/usr/share/man/man1/$page.1.gz"
    warnings="$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$file" 2>&1 >/dev/null)"
    [ -z "$warnings" ] || fail "man $page: $warnings"
    rendered="$(LC_ALL=C.UTF-8 MANWIDTH=80 man -E UTF-8 -l "$file")" || fail "man $page failed"
    grep -q '^NAME' <<<"$rendered" || fail "man $page shows no NAME"
done
# Every option that --help shows is in the program's man page.
cli_help="$("$root/usr/bin/pixelperf-cli" --help)"
for program in pixelperf pixelperf-cli; do
    if [ "$program" = pixelperf ]; then help="$gui_help"; else help="$cli_help"; fi
    man_text="$(LC_ALL=C.UTF-8 MANWIDTH=200 man -E UTF-8 -l "$root/usr/share/man/man1/$program.1.gz" 2>/dev/null)"
    for option in $(grep -oE -- '(^|[ [,])--?[a-z][a-z-]*' <<<"$help" | sed 's/^[ [,]//' | sort -u); do
        grep -qF -- "$option" <<<"$man_text" || fail "man $program does not name $option (from --help)"
    done
done
echo "  both render without warnings and name every option of --help"

echo "== completions"
completion="$root/usr/share/bash-completion/completions/pixelperf-cli"
complete_words() {  # the words typed, the last being completed
    bash --norc -c 'source "$1" || exit 3; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pixelperf_cli
        printf "%s\n" "${COMPREPLY[@]}"' bash "$completion" "$@"
}
[ "$(complete_words pixelperf-cli ru)" = run ] || fail "bash: 'pixelperf-cli ru' does not complete to run"
[ "$(complete_words pixelperf-cli run in --preset nai)" = naive ] || fail "bash: no preset completed"
run_options="$(complete_words pixelperf-cli run -)"
for option in $(sed -n '/^  pixelperf-cli run/,/^  pixelperf-cli [a-z]/p' <<<"$cli_help" \
        | grep -oE -- '\[--?[a-z][a-z-]*' | tr -d '[' | sort -u); do
    grep -qx -- "$option" <<<"$run_options" || fail "bash does not complete $option of run (from --help)"
done
grep -q '^#compdef pixelperf-cli' "$root/usr/share/zsh/vendor-completions/_pixelperf-cli" \
    || fail "the zsh completion has no #compdef line"
echo "  bash completes commands, options and presets; zsh's is registered with #compdef"

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

echo "== lintian"
# No error and no warning; information tags are shown, and do not fail (one
# remains: binary-has-unneeded-section .comment, the compiler's name, which
# CPack's strip keeps).
if ! lintian --fail-on error,warning --display-info --tag-display-limit 0 "$deb" >"$tmp/lintian.log" 2>&1; then
    cat "$tmp/lintian.log" >&2
    fail "lintian reports errors or warnings"
fi
sed 's/^/  /' "$tmp/lintian.log"
echo "  no errors, no warnings"

echo "PASS"
