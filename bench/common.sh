# Shared by the bench/*.sh scripts (sourced, not run).
#   bench_images DIR COUNT SIZE  - prints DIR, or with DIR empty the folder of
#                                  COUNT generated SIZE JPEGs under the build
#                                  (generated once)
#   bench_link SRC N DEST        - DEST gets N symlinks to SRC's JPEGs, round
#                                  robin (a large folder without the disk space)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PIXELPERF_BUILD_DIR:-$root/build}"
cli="$build/app/pixelperf-cli"

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

bench_link() {
    local src="$1" n="$2" dest="$3" files i
    mapfile -t files < <(find "$src" -maxdepth 1 -iname '*.jpg' | sort)
    [ "${#files[@]}" -gt 0 ] || { echo "no JPEGs in $src" >&2; return 1; }
    mkdir -p "$dest"
    for i in $(seq 0 $((n - 1))); do
        ln -s "$(realpath "${files[$((i % ${#files[@]}))]}")" "$dest/$(printf 'img_%04d.jpg' "$i")"
    done
}
