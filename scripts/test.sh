#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: unit (C++ and TypeScript), integration
# against a real mosquitto and the real bridge, the dashboard in a real Chromium, a short
# libFuzzer run (FUZZ_SECONDS per target if set; by default scripts/fuzz.sh shares about 3
# minutes among its targets), and the arm64 cross build (build-arm64) under qemu (label arm64).
# ctest's summary is the last thing printed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"

"$root/scripts/setup.sh" test
"$root/scripts/build.sh"
# The arm64 tree that ctest's arm64.unit and arm64.smoke run under qemu (docs/OPERATIONS.md, "arm64").
"$root/scripts/cross-arm64.sh"
# The Debian packages of both trees (tests/package checks them; docs/OPERATIONS.md).
"$root/scripts/package.sh" --no-build
"$root/scripts/package.sh" --arch arm64 --no-build
export SB_REQUIRE_PACKAGES="$(dpkg --print-architecture) arm64"

# A bounded libFuzzer run (clang) of every parser of outside bytes (docs/FAULTS.md, "Fuzzing");
# before ctest so that ctest's summary stays the last thing printed.
fuzz_rc=0
"$root/scripts/fuzz.sh" ${FUZZ_SECONDS:+"$FUZZ_SECONDS"} || fuzz_rc=$?

echo "test: running ctest"
ctest --test-dir build --output-on-failure --timeout 300 -j2
if [ "$fuzz_rc" -ne 0 ]; then echo "test: fuzzing failed: a crash or a build error (see above)" >&2; exit "$fuzz_rc"; fi
