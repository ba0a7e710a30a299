#!/usr/bin/env bash
# The arm64 cross build (scripts/cross-arm64.sh) run under qemu-aarch64-static, invoked
# explicitly (binfmt_misc may not be registered). docs/OPERATIONS.md, "arm64".
# Usage: arm64_test.sh BUILD_ARM64_DIR unit|smoke
#   unit   runs every unit test executable of BUILD_ARM64_DIR/tests; all must pass
#   smoke  the arm64 sensor-bridge from an installed tree, with the packaged configuration,
#          against a native mosquitto: one reading published, read back over REST and WebSocket
# The tree smoke runs from: ARM64_DEB (a .deb), else the newest build/pkg/sensor-bridge_*_arm64.deb
# (scripts/package.sh --arch arm64) unpacked with dpkg -x, else `cmake --install BUILD_ARM64_DIR
# --prefix /usr` into a temporary DESTDIR. ARM64_TREE_FROM=install forces the last.
# Exit 77 (skipped) only when BUILD_ARM64_DIR does not exist.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/lib.sh"

[ $# -eq 2 ] || { echo "usage: arm64_test.sh BUILD_ARM64_DIR unit|smoke" >&2; exit 2; }
arm_dir=$1
mode=$2
if [ ! -d "$arm_dir" ]; then
  echo "SKIP: $arm_dir does not exist (scripts/cross-arm64.sh builds it)"
  exit 77
fi
arm_dir=$(cd "$arm_dir" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
qemu=$(command -v qemu-aarch64-static) || fail "qemu-aarch64-static is not installed (scripts/setup.sh arm64)"
is_arm64() { [[ $(file -b "$1") == *"ELF 64-bit"*"ARM aarch64"* ]]; }  # no pipe: grep -q and pipefail
# set -e ends the script on any failing command: say which.
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR

tmp=$(mktemp -d /tmp/sb-arm64-XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$mode" = unit ]; then
  # The arm64 tree builds only the unit suite (SENSOR_BRIDGE_TEST_SUITES=unit): every executable
  # in its tests/ is a GoogleTest binary.
  grep -qx 'SENSOR_BRIDGE_TEST_SUITES:STRING=unit' "$arm_dir/CMakeCache.txt" 2>/dev/null \
    || fail "$arm_dir is not configured with SENSOR_BRIDGE_TEST_SUITES=unit (scripts/cross-arm64.sh does it)"
  mapfile -t exes < <(find "$arm_dir/tests" -maxdepth 1 -type f -perm -u+x | sort)
  [ ${#exes[@]} -gt 0 ] || fail "no unit test executables in $arm_dir/tests"
  total=0
  failed=()
  for exe in "${exes[@]}"; do
    name=$(basename "$exe")
    is_arm64 "$exe" || fail "$exe is not an arm64 binary: $(file -b "$exe")"
    mkdir -p "$tmp/$name"
    start=$(date +%s)
    rc=0
    # Each in a directory of its own; 600 s bounds a hang (all of them together take minutes).
    (cd "$tmp/$name" && timeout -k 10 600 "$qemu" "$exe" --gtest_brief=1 --gtest_color=no) >"$tmp/$name.log" 2>&1 || rc=$?
    ran=$(sed -n 's/^\[==========\] \([0-9]*\) tests\? from .* ran\..*/\1/p' "$tmp/$name.log" | tail -1)
    passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\?\..*/\1/p' "$tmp/$name.log" | tail -1)
    if [ "$rc" -ne 0 ] || [ -z "$ran" ] || [ "$ran" != "${passed:-x}" ]; then
      echo "arm64.unit: $name FAILED (exit $rc, ${ran:-?} ran, ${passed:-0} passed):"
      tail -n 60 "$tmp/$name.log"
      failed+=("$name")
    else
      echo "arm64.unit: $name: $ran tests passed ($(( $(date +%s) - start )) s)"
    fi
    total=$((total + ${ran:-0}))
  done
  echo "arm64.unit: $total tests run in ${#exes[@]} executables under qemu-aarch64-static"
  [ ${#failed[@]} -eq 0 ] || fail "arm64 unit tests failed: ${failed[*]}"
  exit 0
fi

[ "$mode" = smoke ] || { echo "usage: arm64_test.sh BUILD_ARM64_DIR unit|smoke" >&2; exit 2; }
# The arm64 package (or, before packaging, an install of this tree) run under qemu.
exec "$root/tests/package/smoke_test.sh" arm64 "$arm_dir"
