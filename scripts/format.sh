#!/usr/bin/env bash
# Formats every C++ file git tracks with the root .clang-format.
#   ./scripts/format.sh          rewrites the files that differ
#   ./scripts/format.sh --check  lists them and fails (.ci/run's first step)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/deps.sh" clang-format
cd "$root"
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if [ "${1:-}" = --check ]; then
    differ=()
    for f in "${files[@]}"; do
        clang-format --style=file "$f" | cmp -s - "$f" || differ+=("$f")
    done
    if [ ${#differ[@]} -gt 0 ]; then
        printf 'not formatted: %s\n' "${differ[@]}" >&2
        echo "run ./scripts/format.sh to format them" >&2
        exit 1
    fi
    echo "all ${#files[@]} C++ files formatted"
else
    clang-format --style=file -i "${files[@]}"
fi
