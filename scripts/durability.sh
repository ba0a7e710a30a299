#!/usr/bin/env bash
# What a kill -9 and a power cut each lose, with --sync normal and --sync full (issue 19;
# docs/OPERATIONS.md, Durability). For each mode: mosquitto + the bridge with
# tests/durability/fsync_shadow preloaded (a copy of each database file as of its last fsync:
# what a power cut is sure to leave), a publisher at RATE readings a second over 100 sensors
# whose value is its send time in ms, for SECONDS; then kill -9. Reported per mode: the newest
# reading in the files (kill -9) and in the fsync'ed copies (power cut), as ms before the
# kill, the clean-shutdown marker in each, fsyncs a minute by file; and from a second run
# without the shim, the bridge's CPU and its mean commit time. Then SQLite alone on this disk:
# one-row transactions a second in WAL with NORMAL and FULL.
#
# Usage: scripts/durability.sh [--seconds 30] [--rate 200] [--build-dir DIR]   (binaries built)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"

seconds=30
rate=200
build="$root/build"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    *) echo "usage: scripts/durability.sh [--seconds N] [--rate N] [--build-dir DIR]" >&2; exit 2 ;;
  esac
done
bridge_bin="$build/bin/sensor-bridge"
shim="$build/lib/libsb_fsync_shadow.so"
for f in "$bridge_bin" "$shim"; do
  [ -e "$f" ] || { echo "durability: $f missing: cmake --build $build --target sensor-bridge sb_fsync_shadow" >&2; exit 1; }
done

work=$(mktemp -d /tmp/sb-durability.XXXXXX)
pids=()
cleanup() {
  for (( i=${#pids[@]}-1; i>=0; i-- )); do kill "${pids[$i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

mqtt_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$mqtt_port" >"$work/mosquitto.conf"
/usr/sbin/mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)
wait_for_port 127.0.0.1 "$mqtt_port" 10 || { echo "durability: mosquitto did not start" >&2; exit 1; }

# Readings {"sensorId":"dur-<n>","value":<ms since the epoch at send>} at RATE a second,
# through a FIFO so that both processes have a pid of their own (pub_pids).
start_publisher() {
  local fifo="$1/pub.fifo"
  mkfifo "$fifo"
  python3 -u -c '
import json, sys, time
rate = int(sys.argv[1]); n = 0; start = time.time()
while True:
    n += 1
    print(json.dumps({"sensorId": "dur-%d" % (n % 100), "value": int(time.time() * 1000)}), flush=True)
    time.sleep(max(0.0, start + n / rate - time.time()))
' "$rate" >"$fifo" &
  pub_pids=($!)
  mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -q 1 -t sensors/dur -l <"$fifo" &
  pub_pids+=($!)
  pids+=("${pub_pids[@]}")
}

# run MODE NAME SHIM(0|1): starts the bridge, publishes for SECONDS, kill -9; sets bridge_pid, dir.
run() {
  local mode=$1 name=$2 with_shim=$3
  dir="$work/$name"
  mkdir -p "$dir/shadow"
  local env=()
  if [ "$with_shim" = 1 ]; then
    env=(LD_PRELOAD="$shim" SB_SHADOW_WATCH="$dir/bridge.db" SB_SHADOW_DIR="$dir/shadow")
  fi
  env "${env[@]}" "$bridge_bin" --mqtt-url "tcp://127.0.0.1:$mqtt_port" --http-port 0 --db "$dir/bridge.db" \
    --topic 'sensors/#' --sync "$mode" >"$dir/bridge.log" 2>&1 &
  bridge_pid=$!
  pids+=("$bridge_pid")
  http_port=""
  for _ in $(seq 100); do
    http_port=$(grep -o 'listening url=http://127.0.0.1:[0-9]*' "$dir/bridge.log" | grep -o '[0-9]*$' || true)
    [ -n "$http_port" ] && break
    sleep 0.1
  done
  [ -n "$http_port" ] || { echo "durability: the bridge did not start: $(tail -3 "$dir/bridge.log")" >&2; exit 1; }
  start_publisher "$dir"
  local ticks0
  ticks0=$(awk '{print $14 + $15}' "/proc/$bridge_pid/stat")
  sleep "$seconds"
  cpu_ticks=$(( $(awk '{print $14 + $15}' "/proc/$bridge_pid/stat") - ticks0 ))
  curl -s "http://127.0.0.1:$http_port/metrics" >"$dir/metrics.txt"
  kill_ms=$(date +%s%3N)
  kill -KILL "$bridge_pid"
  wait "$bridge_pid" 2>/dev/null || true
  kill "${pub_pids[@]}" 2>/dev/null || true
  wait "${pub_pids[@]}" 2>/dev/null || true
}

# newest FROM: "<ms before the kill> <marker>" of the database files in FROM, read from a copy.
newest() {
  local from=$1 copy
  copy=$(mktemp -d "$work/view.XXXXXX")
  [ -f "$from/bridge.db" ] || { echo "no-file -"; return; }
  cp "$from/bridge.db" "$copy/"
  [ -f "$from/bridge.db-wal" ] && cp "$from/bridge.db-wal" "$copy/"
  local latest marker
  latest=$(sqlite3 "$copy/bridge.db" "SELECT coalesce(max(CAST(value_num AS INTEGER)), 0) FROM latest;" 2>/dev/null || echo 0)
  marker=$(sqlite3 "$copy/bridge.db" "SELECT value FROM meta WHERE key='clean_shutdown';" 2>/dev/null || echo "?")
  if [ "$latest" = 0 ]; then echo "none ${marker:--}"; else echo "$((kill_ms - latest)) ${marker:--}"; fi
}

metric() { awk -v m="$1" '$1 == m {print $2}' "$dir/metrics.txt"; }

hz=$(getconf CLK_TCK)
printf '%-6s | %-22s | %-22s | %-26s | %-10s | %s\n' "sync" "kill -9: newest kept" "power cut: newest kept" \
  "fsyncs/min (db, wal)" "bridge CPU" "commits, mean commit"
for mode in normal full; do
  run "$mode" "$mode-shim" 1
  read -r k_ms k_marker <<<"$(newest "$dir")"
  read -r p_ms p_marker <<<"$(newest "$dir/shadow")"
  db_syncs=$(awk '$2 == "bridge.db"' "$dir/shadow/fsync.log" 2>/dev/null | wc -l)
  wal_syncs=$(awk '$2 == "bridge.db-wal"' "$dir/shadow/fsync.log" 2>/dev/null | wc -l)
  run "$mode" "$mode-plain" 0
  commits=$(metric sensor_bridge_store_commits_total)
  sum=$(metric sensor_bridge_store_commit_seconds_sum)
  count=$(metric sensor_bridge_store_commit_seconds_count)
  mean_ms=$(python3 -c "print('%.2f' % (1000 * float('$sum') / max(1, int('$count'))))")
  cpu=$(python3 -c "print('%.1f %%' % (100 * $cpu_ticks / $hz / $seconds))")
  printf '%-6s | %-22s | %-22s | %-26s | %-10s | %s\n' "$mode" "$k_ms ms before, marker $k_marker" \
    "$p_ms ms before, marker $p_marker" \
    "$(( db_syncs * 60 / seconds )), $(( wal_syncs * 60 / seconds ))" "$cpu" "$commits, $mean_ms ms"
done

# SQLite alone on this disk: 1 000 one-row transactions (WAL) per mode.
python3 - "$work" <<'EOF'
import os, sqlite3, sys, time
for mode in ("NORMAL", "FULL"):
    path = os.path.join(sys.argv[1], "alone-%s.db" % mode)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=%s" % mode)
    db.execute("CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB)")
    n = 1000; t0 = time.perf_counter(); c0 = time.process_time()
    for i in range(n):
        db.execute("BEGIN IMMEDIATE"); db.execute("INSERT INTO t(v) VALUES(randomblob(200))"); db.execute("COMMIT")
    wall = time.perf_counter() - t0; cpu = time.process_time() - c0
    print("sqlite alone, %-6s: %6.0f commits/s, %.3f ms wall and %.3f ms CPU a commit" % (mode, n / wall, 1000 * wall / n, 1000 * cpu / n))
EOF
echo "durability: files in $work"
trap - EXIT
cleanup
