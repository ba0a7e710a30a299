#!/usr/bin/env bash
# Builds the dashboard (web/dist) and the C++ binaries (build/bin). Assumes setup.sh has run.
# Usage: scripts/build.sh [--target NAME...]   (default: everything, tests included)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"

if [ -f web/package.json ]; then
  echo "build: dashboard"
  (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
fi

echo "build: C++"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" "$@"
