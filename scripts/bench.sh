#!/usr/bin/env bash
# Benchmarks sensor-bridge against mosquitto alone, Node-RED and Mosquitto's WebSocket
# listener, all on loopback on this machine (issue 6). Results: build/bench/<UTC timestamp>/.
# Usage: scripts/bench.sh [--quick] [--only ingest,latency,fanout,connections,peers,history] [--no-build]
#   --quick     smaller counts, under 3 minutes; without it the full run takes under 20.
#   --no-build  skip setup and build: measure the binaries already in build/bin (or --bin-dir).
# Any other option is passed to tests/bench/run.mjs (see `node tests/bench/run.mjs --help`).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"

build=1
args=()
for arg in "$@"; do
  if [ "$arg" = --no-build ]; then build=0; else args+=("$arg"); fi
done

if [ "$build" = 1 ]; then
  "$root/scripts/setup.sh" test
  "$root/scripts/build.sh" --target sensor-bridge sb-bench-mqtt sb-bench-ws sb-bench-history
fi

# Node-RED, pinned by the committed lockfile; reinstalled only when the lockfile changed.
node_red="$root/tests/bench/peers/node-red"
stamp="$node_red/node_modules/.bench-lock.sha256"
want=$(sha256sum "$node_red/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bench: installing Node-RED (npm ci in tests/bench/peers/node-red)"
  (cd "$node_red" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

# 50 000 connections need as many descriptors in the bridge and in the load tool. Root may
# raise the hard limit; anyone may raise the soft one up to it. run.mjs skips (and says why)
# what does not fit.
want_files=120000
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt "$want_files" ]; then
  ulimit -Hn "$want_files" 2>/dev/null || true
fi
if [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge "$want_files" ]; then
  ulimit -Sn "$want_files"
else
  ulimit -Sn "$(ulimit -Hn)"
fi
echo "bench: open-file limit $(ulimit -Sn)"

exec node "$root/tests/bench/run.mjs" --bin-dir "$root/build/bin" ${args[@]+"${args[@]}"}
