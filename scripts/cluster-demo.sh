#!/usr/bin/env bash
# Scale-out on one machine (docs/SCALING.md): one mosquitto, two bridges with their own SQLite
# caches, nginx in front (WebSocket proxying, least_conn), and simulated sensors. Prints the URL;
# Ctrl-C or SIGTERM stops everything it started, by pid. Kill one bridge (its pid is printed) and
# watch the dashboard reconnect through nginx to the other.
# Environment: HTTP_PORT (nginx, default 8080), MQTT_PORT, SENSORS (24), RATE (1), FORMAT;
# BIN_DIR runs the binaries found there instead of setting up and building (default build/bin).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"

if [ -z "${BIN_DIR:-}" ]; then
  "$root/scripts/setup.sh" cluster
  "$root/scripts/build.sh" --target sensor-bridge sensor-sim
fi
bin=${BIN_DIR:-build/bin}

run_dir="$root/.run/cluster"
mkdir -p "$run_dir/nginx/tmp"
mqtt_port=${MQTT_PORT:-$(free_port)}
http_port=${HTTP_PORT:-8080}
pids=()

cleanup() {
  trap - INT TERM EXIT
  echo
  echo "cluster-demo: stopping"
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
wait_for_port 127.0.0.1 "$mqtt_port" 10 || { echo "cluster-demo: mosquitto did not start (see $run_dir/mosquitto.log)" >&2; exit 1; }

bridge_ports=()
bridge_pids=()
for name in a b; do
  port=$(free_port)
  "$bin/sensor-bridge" --mqtt-url "tcp://127.0.0.1:$mqtt_port" --http-port "$port" \
    --client-id "sensor-bridge-$name" --db "$run_dir/bridge-$name.db" 2>"$run_dir/bridge-$name.log" &
  pids+=($!)
  bridge_pids+=($!)
  bridge_ports+=("$port")
  wait_for_port 127.0.0.1 "$port" 10 || { echo "cluster-demo: bridge $name did not start (see $run_dir/bridge-$name.log)" >&2; exit 1; }
done

servers=""
for port in "${bridge_ports[@]}"; do servers+="server 127.0.0.1:$port max_fails=1 fail_timeout=10s; "; done
sed -e "s|@PREFIX@|$run_dir/nginx|g" -e "s|@LISTEN@|127.0.0.1:$http_port|g" -e "s|@UPSTREAM_SERVERS@|$servers|g" \
  packaging/nginx/cluster.conf.in > "$run_dir/nginx/nginx.conf"
/usr/sbin/nginx -p "$run_dir/nginx/" -e "$run_dir/nginx/nginx-error.log" -c "$run_dir/nginx/nginx.conf" \
  >"$run_dir/nginx/nginx-stdout.log" 2>&1 &
pids+=($!)
wait_for_port 127.0.0.1 "$http_port" 10 || { echo "cluster-demo: nginx did not start (see $run_dir/nginx/nginx-error.log)" >&2; exit 1; }

"$bin/sensor-sim" --mqtt-url "tcp://127.0.0.1:$mqtt_port" --sensors "${SENSORS:-24}" \
  --rate "${RATE:-1}" --format "${FORMAT:-canonical}" --quiet >"$run_dir/sim.log" 2>&1 &
pids+=($!)

echo
echo "  sensor-bridge cluster:     http://127.0.0.1:$http_port/   (nginx, least_conn over two bridges)"
echo "  bridge a:                  http://127.0.0.1:${bridge_ports[0]}/   pid ${bridge_pids[0]}"
echo "  bridge b:                  http://127.0.0.1:${bridge_ports[1]}/   pid ${bridge_pids[1]}"
echo "  MQTT broker:               tcp://127.0.0.1:$mqtt_port (topic sensors/#)"
echo "  logs:                      $run_dir/"
echo
echo "  Try a failover: kill -9 <pid of a bridge>; the page reconnects through nginx to the other."
echo "  Ctrl-C stops mosquitto, both bridges, nginx and the simulator."
# A killed bridge is part of the demo: only stop when nginx, the broker or the simulator exits.
while kill -0 "${pids[0]}" 2>/dev/null && kill -0 "${pids[3]}" 2>/dev/null && kill -0 "${pids[4]}" 2>/dev/null; do
  sleep 1
done
echo "cluster-demo: mosquitto, nginx or the simulator exited; see the logs in $run_dir/" >&2
