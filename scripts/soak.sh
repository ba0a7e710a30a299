#!/usr/bin/env bash
# Soak run: mosquitto + the bridge + sensor-sim (mixed formats, 5 % bad payloads) + ws-churn
# (WebSocket and REST clients connecting, subscribing, stalling, failing and leaving) for
# SECONDS, then SIGTERM. By default the bridge is built in build-asan with AddressSanitizer,
# LeakSanitizer and UBSan. Fails on a sanitizer report, an unclean exit, churn the bridge did
# not serve, open descriptors not back to their baseline once the churn is over, or RSS more
# than RSS_TOLERANCE_KIB (default 32768) above it.
#
# Usage: scripts/soak.sh [--seconds 120] [--build-dir DIR] [--no-build]
#   --no-build uses DIR's binaries as they are (ctest's short soak runs on the regular build).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"

seconds=120
build="$root/build-asan"
do_build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    *) echo "usage: scripts/soak.sh [--seconds N] [--build-dir DIR] [--no-build]" >&2; exit 2 ;;
  esac
done
case "$seconds" in '' | *[!0-9]* | 0*) echo "soak: --seconds must be a positive integer" >&2; exit 2 ;; esac
tolerance_kib=${RSS_TOLERANCE_KIB:-32768}

if [ "$do_build" -eq 1 ]; then
  echo "soak: building $build with -fsanitize=address,undefined"
  # GCC's sanitizers bring false -Wmaybe-uninitialized warnings (its manual advises against
  # -Werror with them): kept as warnings here, errors in the regular build.
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -Wno-error=maybe-uninitialized" >/dev/null
  cmake --build "$build" -j"$(nproc)" --target sensor-bridge sensor-sim ws-churn >/dev/null
fi
bridge_bin=$build/bin/sensor-bridge sim_bin=$build/bin/sensor-sim churn_bin=$build/tests/ws-churn
for b in "$bridge_bin" "$sim_bin" "$churn_bin"; do
  [ -x "$b" ] || { echo "soak: $b is missing (build it, or drop --no-build)" >&2; exit 1; }
done

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:quarantine_size_mb=16
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
work=$(mktemp -d /tmp/sb-soak-XXXXXX)
pids=()
ok=0
cleanup() {
  for (( i=${#pids[@]}-1; i>=0; i-- )); do kill "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$ok" -eq 1 ]; then rm -rf "$work"; else echo "soak: logs kept in $work" >&2; fi
}
trap cleanup EXIT
fail() { echo "soak: FAILED: $*" >&2; exit 1; }

# GET path on the bridge; prints the body.
http_get() {
  local body
  exec 3<>"/dev/tcp/127.0.0.1/$http_port"
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3
  body=$(cat <&3)
  exec 3<&-
  printf '%s' "${body#*$'\r\n\r\n'}"
}
# A field of /api/stats, e.g. ws.connections.
stats_field() { http_get /api/stats | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['${1%%.*}']['${1#*.}'])"; }
fds() { ls "/proc/$bridge_pid/fd" | wc -l; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$bridge_pid/status"; }

mqtt_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$mqtt_port" >"$work/mosquitto.conf"
/usr/sbin/mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)
wait_for_port 127.0.0.1 "$mqtt_port" 10 || fail "mosquitto did not start"

"$bridge_bin" --mqtt-url "tcp://127.0.0.1:$mqtt_port" --http-port 0 --db "$work/bridge.db" \
  --ping-interval 2 --pong-timeout-ms 1000 >"$work/bridge.log" 2>&1 &
bridge_pid=$!
pids+=("$bridge_pid")
for _ in $(seq 300); do
  http_port=$(grep -o 'listening url=http://127.0.0.1:[0-9]*' "$work/bridge.log" | grep -o '[0-9]*$' || true)
  [ -n "$http_port" ] && break
  kill -0 "$bridge_pid" 2>/dev/null || fail "the bridge exited at start: $(tail -5 "$work/bridge.log")"
  sleep 0.1
done
[ -n "$http_port" ] || fail "the bridge did not report its port"

"$sim_bin" --mqtt-url "tcp://127.0.0.1:$mqtt_port" --sensors 48 --rate 10 --format mixed --faults 0.05 \
  --quiet >"$work/sim.log" 2>&1 &
sim_pid=$!
pids+=("$sim_pid")

# Warm-up: readings flowing, the first commits done, caches and allocator settled.
for _ in $(seq 300); do [ "$(stats_field ingest.accepted)" -gt 0 ] && break; sleep 0.1; done
[ "$(stats_field ingest.accepted)" -gt 0 ] || fail "no readings accepted after 30 s"
sleep 5
fds_base=$(fds) rss_base=$(rss)
echo "soak: bridge pid $bridge_pid on port $http_port; baseline fds=$fds_base rss=${rss_base} KiB; churn for ${seconds}s"

"$churn_bin" --port "$http_port" --seconds "$seconds" --workers 6 >"$work/churn.log" 2>&1 &
churn_pid=$!
pids+=("$churn_pid")
fds_peak=$fds_base rss_peak=$rss_base
while kill -0 "$churn_pid" 2>/dev/null; do
  f=$(fds) r=$(rss)
  [ "$f" -gt "$fds_peak" ] && fds_peak=$f
  [ "$r" -gt "$rss_peak" ] && rss_peak=$r
  sleep 1
done
churn_rc=0
wait "$churn_pid" || churn_rc=$?
cat "$work/churn.log"

# After the churn: every connection gone, every descriptor back (bounded waits).
for _ in $(seq 300); do [ "$(stats_field ws.connections)" -eq 0 ] && break; sleep 0.1; done
for _ in $(seq 150); do [ "$(fds)" -eq "$fds_base" ] && break; sleep 0.1; done
fds_after=$(fds) rss_after=$(rss) connections_after=$(stats_field ws.connections)
fd_list=$(ls -l "/proc/$bridge_pid/fd" | tail -n +2)
echo "soak: fds base=$fds_base peak=$fds_peak after=$fds_after; rss KiB base=$rss_base peak=$rss_peak after=$rss_after"

kill -TERM "$sim_pid"; wait "$sim_pid" || true
kill -TERM "$bridge_pid"
bridge_rc=0
wait "$bridge_pid" || bridge_rc=$?

reports=$(cat "$work/bridge.log" "$work/sim.log" "$work/churn.log" |
  grep -cE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: [A-Za-z]+Sanitizer' || true)
[ "$reports" -eq 0 ] || { grep -hE -A30 'Sanitizer|runtime error:' "$work"/*.log | head -80 >&2; fail "$reports sanitizer report(s)"; }
[ "$bridge_rc" -eq 0 ] || fail "the bridge exited with $bridge_rc after SIGTERM: $(tail -5 "$work/bridge.log")"
[ "$churn_rc" -eq 0 ] || fail "the churn saw failures (see above)"
[ "$connections_after" -eq 0 ] || fail "$connections_after WebSocket connections still open after the churn"
[ "$fds_after" -eq "$fds_base" ] || fail "open descriptors $fds_base before the churn, $fds_after after:"$'\n'"$fd_list"
[ "$rss_after" -le $((rss_base + tolerance_kib)) ] || fail "RSS grew from $rss_base to $rss_after KiB (tolerance $tolerance_kib)"
ok=1
echo "soak: passed (${seconds}s churn, no sanitizer reports, exit 0, descriptors back to $fds_base, RSS +$((rss_after - rss_base)) KiB)"
