#!/usr/bin/env bash
# Cross-builds the arm64 (aarch64) tree with Debian's cross toolchain and the arm64 builds of the
# -dev libraries (multiarch): sensor-bridge, sensor-sim and the unit test executables, nothing
# else (the integration, e2e, bench, soak and durability suites run from the native build).
# The dashboard is architecture independent: `cmake --install` of this tree installs the web/dist
# that scripts/build.sh built. Run the result with qemu-aarch64-static (docs/OPERATIONS.md, "arm64").
# Usage: scripts/cross-arm64.sh [--build-dir DIR] [--build-type TYPE]   (default build-arm64, RelWithDebInfo)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"

build_dir=build-arm64
build_type=RelWithDebInfo
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --build-type) build_type=$2; shift 2 ;;
    *) echo "usage: scripts/cross-arm64.sh [--build-dir DIR] [--build-type TYPE]" >&2; exit 2 ;;
  esac
done

"$root/scripts/setup.sh" arm64

echo "cross-arm64: configuring $build_dir ($build_type)"
# Test discovery at ctest time, not after each link: it runs every test binary under qemu.
cmake -S . -B "$build_dir" \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/aarch64-linux-gnu.cmake" \
  -DCMAKE_BUILD_TYPE="$build_type" \
  -DSENSOR_BRIDGE_TEST_SUITES=unit \
  -DCMAKE_GTEST_DISCOVER_TESTS_DISCOVERY_MODE=PRE_TEST >/dev/null

echo "cross-arm64: building sensor-bridge, sensor-sim and the unit tests"
cmake --build "$build_dir" -j"$(nproc)"

file -b "$build_dir/bin/sensor-bridge" | grep -q 'ARM aarch64' \
  || { echo "cross-arm64: $build_dir/bin/sensor-bridge is not an aarch64 binary: $(file -b "$build_dir/bin/sensor-bridge")" >&2; exit 1; }
echo "cross-arm64: $build_dir/bin/sensor-bridge: $(file -b "$build_dir/bin/sensor-bridge" | cut -d, -f1-2)"
