# Shared by the bench/*.sh scripts (sourced, not run); their summaries read
# the results with bench/results.py.
#   bench_images DIR COUNT SIZE  - prints DIR, or with DIR empty the folder of
#                                  COUNT generated SIZE JPEGs under the build
#                                  (generated once)
#   bench_photos                 - prints the folder of real photos: the
#                                  largest JPEG of each wallpaper in Debian's
#                                  plasma-workspace-wallpapers (19 camera
#                                  photos, 5 of them progressive, 2560x1600
#                                  to 5120x2880), fetched once (94 MB)
#   bench_link SRC N DEST        - DEST gets N symlinks to SRC's JPEGs, round
#                                  robin (a large folder without the disk space)
#   bench_options "NAME..." "FLAG..." ARGS... - the script's command line:
#                                  --NAME VALUE sets $NAME, --FLAG sets $FLAG
#                                  to 1, an argument sets $dir, --help prints
#                                  the script's opening comment
#   bench_peers_ready TOOL...    - installs the peers' packages (libvips,
#                                  Pillow, GNU time), builds, and checks that
#                                  each TOOL was built
#   bench_time FILE CMD...       - runs CMD; "wall user sys peakRSS-KiB" in
#                                  FILE, the wall time to the microsecond
#   measure LABEL CMD...         - runs CMD with its outputs in $work/out and
#                                  appends "LABEL wall user sys peakRSS-KiB
#                                  output-bytes" to $results (both set by the
#                                  caller)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PIXELPERF_BUILD_DIR:-$root/build}"
cli="$build/app/pixelperf-cli"
# The runs a benchmark makes are not the user's history: an older build (a
# "before" program) keeps its runs in a scratch database, and this build's
# measured runs pass --no-history (the peers keep none either).
export PIXELPERF_DB="${PIXELPERF_BENCH_DB:-${TMPDIR:-/tmp}/pixelperf-bench-history.sqlite}"

bench_images() {
    local dir="$1" count="$2" size="$3"
    if [ -z "$dir" ]; then
        dir="$build/bench-images/${count}x$size"
        if [ "$(find "$dir" -name '*.jpg' 2>/dev/null | wc -l)" -lt "$count" ]; then
            rm -rf "$dir"
            echo "Generating $count images of $size into $dir ..." >&2
            "$cli" generate "$dir" --count "$count" --size "$size" >/dev/null
        fi
    fi
    echo "$dir"
}

bench_photos() {
    local dir="$build/bench-images/photos" src="$build/bench-images/wallpapers" folder f name
    if [ "$(find "$dir" -name '*.jpg' 2>/dev/null | wc -l)" -lt 19 ]; then
        echo "Fetching Debian's plasma-workspace-wallpapers (94 MB) for its photos ..." >&2
        rm -rf "$dir" "$src"
        mkdir -p "$dir" "$src"
        # (apt prints a warning when run as root in a folder _apt cannot write.)
        (cd "$src" && apt-get download -q plasma-workspace-wallpapers >/dev/null 2>"$src/apt.log") \
            || { cat "$src/apt.log" >&2; echo "could not download plasma-workspace-wallpapers (is a Debian mirror reachable?)" >&2; return 1; }
        dpkg-deb -x "$src"/plasma-workspace-wallpapers_*.deb "$src/x"
        # The largest JPEG of each wallpaper and variant (images, images_dark).
        while read -r folder; do
            f="$(ls -S "$folder"/*.jpg 2>/dev/null | head -1)"
            [ -n "$f" ] || continue
            # .../wallpapers/NAME/contents/VARIANT/WxH.jpg -> NAME-VARIANT.jpg
            name="$(basename "$(dirname "$(dirname "$folder")")")"
            cp "$f" "$dir/$name-$(basename "$folder").jpg"
        done < <(find "$src/x/usr/share/wallpapers" -type d -name 'images*' | sort)
        rm -rf "$src"
    fi
    echo "$dir"
}

bench_link() {
    local src="$1" n="$2" dest="$3" files i
    mapfile -t files < <(find "$src" -maxdepth 1 -iname '*.jpg' | sort)
    [ "${#files[@]}" -gt 0 ] || { echo "no JPEGs in $src" >&2; return 1; }
    mkdir -p "$dest"
    for i in $(seq 0 $((n - 1))); do
        ln -s "$(realpath "${files[$((i % ${#files[@]}))]}")" "$dest/$(printf 'img_%04d.jpg' "$i")"
    done
}

# Runs CMD and writes "wall user sys peakRSS-KiB" to FILE: CPU seconds and
# peak RSS from GNU time (for a process pool, the largest process's RSS), the
# wall time from bash's clock around it, to the microsecond (GNU time's
# hundredths are a step of 2.5 % on a 0.4 s run, as large as the ratios
# measured). CMD's own exit status is returned.
bench_time() {
    local file="$1"; shift
    local t0="${EPOCHREALTIME/,/.}" rc=0
    /usr/bin/time -f "%U %S %M" -o "$file.cpu" "$@" || rc=$?
    local t1="${EPOCHREALTIME/,/.}"
    echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }') $(tail -1 "$file.cpu")" >"$file"
    return $rc
}

# Wall, CPU and peak RSS of the whole command (bench_time), and the bytes it
# wrote.
measure() {
    local label="$1"; shift
    rm -rf "$work/out"; mkdir -p "$work/out"
    sync
    bench_time "$work/time" "$@" >/dev/null 2>"$work/err" || {
        echo "$label failed:" >&2; tail -3 "$work/err" >&2; return 0; }
    read -r wall user sys rss <"$work/time"
    echo "$label $wall $user $sys $rss $(du -sb "$work/out" | cut -f1)" >>"$results"
}

bench_peers_ready() {
    "$root/scripts/deps.sh" time python3 python3-pil libvips-dev pkg-config
    "$root/scripts/build.sh" >/dev/null
    local t
    for t in "$@"; do
        [ -x "$t" ] || { echo "missing $t (build failed?)" >&2; exit 1; }
    done
}

bench_options() {
    local valued=" $1 " flags=" $2 " option
    shift 2
    while [ $# -gt 0 ]; do
        option="${1#--}"
        case "$1" in
            -h|--help)
                awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
                exit 0 ;;
            --*)
                if [[ "$valued" == *" $option "* ]]; then
                    [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; }
                    printf -v "$option" '%s' "$2"
                    shift 2
                elif [[ "$flags" == *" $option "* ]]; then
                    printf -v "$option" '%s' 1
                    shift
                else
                    echo "unknown option $1" >&2; exit 2
                fi ;;
            -*) echo "unknown option $1" >&2; exit 2 ;;
            *) dir="$1"; shift ;;
        esac
    done
}

# The options an older build (PIXELPERF_BEFORE) is given to keep no history,
# as this build's measured runs do: --no-history where it has one.
bench_before_options() {
    if [ -n "${1:-}" ] && "$1" --help 2>/dev/null | grep -q -- --no-history; then
        echo --no-history
    fi
}
