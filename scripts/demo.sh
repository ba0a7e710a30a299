#!/usr/bin/env bash
# Runs the product on this machine: mosquitto on loopback, the bridge, and simulated sensors.
# Prints the dashboard URL; Ctrl-C stops everything it started.
# Environment: HTTP_PORT (default 8080), MQTT_PORT (default: a free port), SENSORS, RATE, FORMAT.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"

"$root/scripts/setup.sh" demo
"$root/scripts/build.sh" --target sensor-bridge sensor-sim

run_dir="$root/.run"
mkdir -p "$run_dir"
mqtt_port=${MQTT_PORT:-$(free_port)}
http_port=${HTTP_PORT:-8080}
pids=()

cleanup() {
  trap - INT TERM EXIT
  echo
  echo "demo: stopping"
  for (( i=${#pids[@]}-1; i>=0; i-- )); do kill "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap 'cleanup; exit 0' INT TERM
trap cleanup EXIT

cat > "$run_dir/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence false
CONF
/usr/sbin/mosquitto -c "$run_dir/mosquitto.conf" >"$run_dir/mosquitto.log" 2>&1 &
pids+=($!)
wait_for_port 127.0.0.1 "$mqtt_port" 10 || { echo "demo: mosquitto did not start (see $run_dir/mosquitto.log)" >&2; exit 1; }

build/bin/sensor-bridge --mqtt-url "tcp://127.0.0.1:$mqtt_port" --http-port "$http_port" \
  --db "$run_dir/bridge.db" 2>"$run_dir/bridge.log" &
pids+=($!)
wait_for_port 127.0.0.1 "$http_port" 10 || { echo "demo: the bridge did not start (see $run_dir/bridge.log)" >&2; exit 1; }

build/bin/sensor-sim --mqtt-url "tcp://127.0.0.1:$mqtt_port" --sensors "${SENSORS:-24}" \
  --rate "${RATE:-1}" --format "${FORMAT:-mixed}" --quiet >"$run_dir/sim.log" 2>&1 &
pids+=($!)

echo
echo "  sensor-bridge is running:  http://127.0.0.1:$http_port/"
echo "  REST:                      http://127.0.0.1:$http_port/api/sensors"
echo "  MQTT broker:               tcp://127.0.0.1:$mqtt_port (every convention's default topics)"
echo "  logs:                      $run_dir/"
echo
echo "  Ctrl-C stops mosquitto, the bridge and the simulator."
wait -n "${pids[@]}" || true
echo "demo: a process exited; see the logs in $run_dir/" >&2
