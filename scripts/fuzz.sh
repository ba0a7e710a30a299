#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) in build-fuzz/ and runs
# each for SECONDS from a temporary copy of its seed corpus (tests/fuzz/corpus/<name>), so the
# repository is never modified. Exits 0 when every target ran clean or when clang's libFuzzer is
# not installed (skipped, with a message); non-zero on a crash, printing the input.
# Usage: scripts/fuzz.sh [SECONDS [TARGET...]]   (docs/FAULTS.md, "Fuzzing": the targets)
#   SECONDS  per target; without it the run shares FUZZ_BUDGET seconds (default 180) among the
#            targets, at least 10 s each: 9 targets -> 20 s each, so the fuzzing itself stays
#            near 3 minutes of wall time (one target at a time) however many targets there are.
#   TARGET   only these targets (default: all of them)
# env: FUZZ_BUILD_DIR (default build-fuzz), FUZZ_BUDGET
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"

build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
all_targets=(normalizer client_message ha_discovery point_chunk tier_agg mqtt_stream http_target jwt topic_id)
# Past each input's bound: the 4 KiB client message, the 4 KiB token, 2 KiB packets + set-up.
declare -A max_len=([normalizer]=8192 [client_message]=5000 [ha_discovery]=4096 [point_chunk]=4096 [tier_agg]=4096
  [mqtt_stream]=8192 [http_target]=4096 [jwt]=8192 [topic_id]=1024)

budget=${FUZZ_BUDGET:-180}
seconds=${1:-}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
for name in "${targets[@]}"; do
  [ -n "${max_len[$name]:-}" ] || { echo "fuzz: unknown target '$name' (${all_targets[*]})" >&2; exit 2; }
done
if [ -z "$seconds" ]; then
  seconds=$(( budget / ${#targets[@]} ))
  [ "$seconds" -ge 10 ] || seconds=10
fi
case "$seconds" in  # a positive integer: libFuzzer reads -max_total_time=0 as "no limit"
  '' | *[!0-9]* | 0*) echo "usage: scripts/fuzz.sh [SECONDS >= 1 [TARGET...]]" >&2; exit 2 ;;
esac

# Skip cleanly when clang or its libFuzzer/sanitizer runtimes (libclang-rt-dev) are missing.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz: skipped: clang++ is not installed (apt-get install clang libclang-rt-dev)"
  exit 0
fi
printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
  'extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }' \
  >"$work/probe.cpp"
if ! clang++ -fsanitize=fuzzer,address,undefined "$work/probe.cpp" -o "$work/probe" \
    >/dev/null 2>&1; then
  echo "fuzz: skipped: clang++ cannot link -fsanitize=fuzzer,address,undefined (install libclang-rt-dev)"
  exit 0
fi

sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all -fsanitize=fuzzer-no-link -fno-omit-frame-pointer"
echo "fuzz: configuring $build with clang++"
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSENSOR_BRIDGE_FUZZ=ON \
  -DCMAKE_CXX_FLAGS="$sanitize -fsanitize-ignorelist=$root/tests/fuzz/sanitizer_ignore.txt" \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; exit 1; }
if ! cmake --build "$build" --target help | grep normalizer_fuzz >/dev/null; then
  echo "fuzz: the build has no fuzz targets: tests/CMakeLists.txt must add_subdirectory(fuzz)" >&2
  exit 1
fi
echo "fuzz: building ${targets[*]/%/_fuzz}"
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/%/_fuzz}"

# Prints a file as a C string literal (octal escapes, so no digit after one is misread).
c_string() {
  python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
named = {10: "\\n", 13: "\\r", 9: "\\t", 34: "\\\"", 92: "\\\\"}
out = "".join(named.get(b, chr(b) if 32 <= b < 127 else "\\%03o" % b) for b in data)
print("\"" + out + "\"  // %d bytes" % len(data))' "$1"
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for name in "${targets[@]}"; do
  bin="$build/fuzz/${name}_fuzz"
  corpus="$work/$name"
  artifacts="$build/fuzz-artifacts/$name"
  rm -rf "$artifacts"
  mkdir -p "$corpus" "$artifacts"
  cp -r "tests/fuzz/corpus/$name/." "$corpus/"
  log="$build/fuzz-$name.log"
  echo "fuzz: $name for ${seconds}s (log: $log)"
  status=0
  # -max_total_time bounds the fuzzing; timeout(1) bounds start-up and a hung input on top.
  timeout --kill-after=10 $((seconds + 60)) "$bin" "$corpus" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len="${max_len[$name]}" \
    -dict="tests/fuzz/$name.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  # libFuzzer's last status line (cov: edges, ft: features, corp: corpus) and its executions.
  echo "  $(grep -aE '^#[0-9]+' "$log" | tail -1 || true)"
  echo "  $(grep -a 'stat::number_of_executed_units' "$log" | tail -1 || true)"
  if [ "$status" -ne 0 ]; then
    failed+=("$name")
    echo "fuzz: $name FAILED (exit $status); the end of its log:" >&2
    tail -40 "$log" >&2
    for input in "$artifacts"/*; do
      [ -f "$input" ] || continue
      echo "fuzz: crash input $input as a C string:" >&2
      c_string "$input" >&2
      echo "fuzz: reproduce with $bin $input" >&2
    done
    echo "fuzz: add the input to tests/fuzz/corpus/$name/ (replayed by ctest -L fuzz) and as a" \
      "unit test next to the code's own tests (tests/unit/...), then fix the bug." >&2
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${targets[*]} ran ${seconds}s each without a crash"
