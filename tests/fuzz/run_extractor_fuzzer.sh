#!/usr/bin/env bash
# Builds the extractor's libFuzzer target with clang (AddressSanitizer + UBSan) and runs it
# for a bounded time, seeded with our own Python fixtures. Usage:
#   tests/fuzz/run_extractor_fuzzer.sh BUILD_DIR [SECONDS]
# BUILD_DIR is the CMake build (it holds the embedded query sources). Objects are cached in
# BUILD_DIR/fuzz, so a second run only fuzzes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "$1" && pwd)
seconds=${2:-30}
out=$build/fuzz
mkdir -p "$out/obj" "$out/corpus"

clang=$(command -v clang++-14 || command -v clang++ || true)
cc=$(command -v clang-14 || command -v clang || true)
[ -n "$clang" ] && [ -n "$cc" ] || { echo "clang is not installed (scripts/setup.sh installs clang-14)" >&2; exit 1; }

grammar=$(sed -n 's/^TREE_SITTER_PYTHON_DIR:PATH=//p' "$build/CMakeCache.txt")
flags=(-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined)
objects=()
# An object is rebuilt when its source or any of the extractor's headers is newer.
newest_header=$(ls -t "$root"/extractor/*.h | head -1)
compile() {  # compile SOURCE OBJECT COMPILER EXTRA...
  local source=$1 object=$2 compiler=$3
  shift 3
  if [ ! -f "$object" ] || [ "$source" -nt "$object" ] || [ "$newest_header" -nt "$object" ]; then
    "$compiler" "${flags[@]}" "$@" -c "$source" -o "$object"
  fi
  objects+=("$object")
}
for source in "$root"/extractor/*.cc "$build"/extractor/embedded_*.cc "$root/tests/fuzz/extractor_fuzzer.cc"; do
  compile "$source" "$out/obj/$(basename "$source").o" "$clang" -std=c++20 -I"$root"
done
compile "$grammar/src/parser.c" "$out/obj/parser.c.o" "$cc" -I"$grammar/src" -w
compile "$grammar/src/scanner.c" "$out/obj/scanner.c.o" "$cc" -I"$grammar/src" -w
"$clang" -fsanitize=fuzzer,address,undefined "${objects[@]}" -ltree-sitter -o "$out/extractor_fuzzer"

seeds=$out/seeds
rm -rf "$seeds" && mkdir -p "$seeds"
find "$root/curated" "$root/tests/fixtures" -name '*.py' -exec cp {} "$seeds/" \;
"$out/extractor_fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
  -print_final_stats=1 "$out/corpus" "$seeds"
