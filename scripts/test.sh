#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: unit (C++ and TypeScript), integration
# against a real mosquitto and the real bridge, and the dashboard in a real Chromium.
# ctest's summary is the last thing printed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"

"$root/scripts/setup.sh"
"$root/scripts/build.sh"

echo "test: running ctest"
ctest --test-dir build --output-on-failure --timeout 300 -j2
