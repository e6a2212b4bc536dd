#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for a given time.
#
#     Fuzz/run.sh csv 60                 # FuzzCSV for 60 seconds
#     Fuzz/run.sh idx 600 -runs=1000000  # extra arguments go to libFuzzer
#     Fuzz/run.sh safetensors 0 Fuzz/Artifacts/safetensors/crash-…   # replay one input
#
# TARGET is csv, idx or safetensors; SECONDS 0 fuzzes until stopped (Ctrl-C). New
# interesting inputs go to Fuzz/Corpus/TARGET (git-ignored), crashes to
# Fuzz/Artifacts/TARGET/; the committed seeds in Fuzz/Seeds/TARGET start the run.
# Exits non-zero when libFuzzer finds a crash.
set -euo pipefail

usage() { echo "usage: $0 csv|idx|safetensors SECONDS [libFuzzer arguments…]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
target=$1 seconds=$2
shift 2
case $target in
  csv) product=FuzzCSV ;;
  idx) product=FuzzIDX ;;
  safetensors) product=FuzzSafetensors ;;
  *) usage ;;
esac
[[ $seconds =~ ^[0-9]+$ ]] || usage

here=$(cd "$(dirname "$0")" && pwd)
scratch=$here/.build
mkdir -p "$scratch" "$here/Corpus/$target" "$here/Artifacts/$target"

# ld.gold crashes on sanitizer links with this toolchain: link with the ld.lld beside swiftc.
swiftc=$(command -v swiftc) || { echo "swiftc is not on PATH" >&2; exit 1; }
lld=$(dirname "$(readlink -f "$swiftc")")/ld.lld
[[ -x $lld ]] || { echo "no ld.lld beside $swiftc" >&2; exit 1; }
printf '{"schemaVersion":"1.0","linker":{"path":"%s"}}\n' "$lld" > "$scratch/toolset.json"

echo "== building $product (release, -sanitize=fuzzer,address)" >&2
# `--sanitize fuzzer` makes SwiftPM build the executables with -parse-as-library and link
# libFuzzer; its second `--sanitize address` would come as a separate -sanitize= flag, and
# swiftc keeps only the last one, so ASan goes in as one combined flag instead.
swift build --package-path "$here" --scratch-path "$scratch" -c release \
  --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address --toolset "$scratch/toolset.json" --product "$product" >&2

binary=$scratch/release/$product
# Swift's backtracer would catch the crash signal before libFuzzer saves the input.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# A file argument replays inputs instead of fuzzing.
for argument in "$@"; do
  if [[ -f $argument ]]; then exec "$binary" "$@"; fi
done

echo "== fuzzing $product for ${seconds}s" >&2
exec "$binary" "$here/Corpus/$target" "$here/Seeds/$target" \
  -dict="$here/Dictionaries/$target.dict" \
  -artifact_prefix="$here/Artifacts/$target/" \
  -max_total_time="$seconds" \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  "$@"
