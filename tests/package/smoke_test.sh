#!/usr/bin/env bash
# The packaged bridge runs (docs/OPERATIONS.md, "The Debian package" and "arm64"): the tree of
# build/pkg/sensor-bridge_<version>_<ARCH>.deb unpacked with dpkg -x, its sensor-bridge (under
# qemu-aarch64-static for arm64, invoked explicitly: binfmt_misc may not be registered) with the
# packaged /etc/sensor-bridge/sensor-bridge.conf, paths and ports changed by options only,
# against a native mosquitto on a free loopback port: it serves the dashboard, a reading
# published comes back the same live over WebSocket and over REST, and SIGTERM stops it cleanly.
# Usage: smoke_test.sh ARCH [TREE_FROM]
#   TREE_FROM  the .deb (default), or a build tree to `cmake --install` when there is no .deb
#              (arm64.smoke passes build-arm64, so it runs before packaging too)
# A missing package skips (77) unless ARCH is in SB_REQUIRE_PACKAGES (scripts/test.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/lib.sh"

[ $# -ge 1 ] || { echo "usage: smoke_test.sh ARCH [BUILD_DIR]" >&2; exit 2; }
arch=$1
install_from=${2:-}
fail() {
  echo "FAIL: $*" >&2
  local f
  for f in "${tmp:-/nonexistent}"/bridge.log "${tmp:-/nonexistent}"/mosquitto.log "${tmp:-/nonexistent}"/ws.err; do
    [ -s "$f" ] && { echo "--- last lines of $(basename "$f"):" >&2; tail -n 15 "$f" >&2; }
  done
  exit 1
}
# set -e ends the script on any failing command: say which.
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR
native=$(dpkg --print-architecture)
case "$arch" in
  "$native") run=(); case "$native" in amd64) machine='x86-64' ;; arm64) machine='ARM aarch64' ;; *) machine="$native" ;; esac ;;
  arm64) qemu=$(command -v qemu-aarch64-static) || fail "qemu-aarch64-static is not installed (scripts/setup.sh arm64)"
         run=("$qemu"); machine='ARM aarch64' ;;
  *) fail "no way to run $arch here" ;;
esac
is_arch() { [[ $(file -b "$1") == *"ELF 64-bit"*"$machine"* ]]; }  # no pipe: grep -q and pipefail

tmp=$(mktemp -d /tmp/sb-smoke-XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

for tool in mosquitto_pub curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/setup.sh test)"
done
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[ -x "$mosquitto" ] || fail "mosquitto is not installed (scripts/setup.sh demo)"

# The tree: the package, else (arm64.smoke before packaging) an install of the build tree.
tree="$tmp/tree"
mkdir -p "$tree"
version=$(sed -n 's/^project(sensor_bridge VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
deb="$root/build/pkg/sensor-bridge_${version}_${arch}.deb"
if [ -f "$deb" ]; then
  echo "smoke $arch: tree from $deb (dpkg -x)"
  dpkg -x "$deb" "$tree" || fail "dpkg -x $deb"
elif [ -n "$install_from" ] && [ -d "$install_from" ]; then
  echo "smoke $arch: no package; tree from DESTDIR=... cmake --install $install_from --prefix /usr"
  DESTDIR="$tree" cmake --install "$install_from" --prefix /usr >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "cmake --install"; }
else
  case " ${SB_REQUIRE_PACKAGES:-} " in *" $arch "*) fail "$deb is not built (scripts/package.sh --arch $arch)" ;; esac
  echo "SKIP: $deb is not built (scripts/package.sh --arch $arch)"
  exit 77
fi
#
bridge="$tree/usr/bin/sensor-bridge"
conf="$tree/etc/sensor-bridge/sensor-bridge.conf"
web="$tree/usr/share/sensor-bridge/web"
[ -f "$bridge" ] && is_arch "$bridge" || fail "$bridge is missing or not a $machine binary: $(file -b "$bridge" 2>&1)"
[ -f "$conf" ] || fail "the tree has no $conf"
[ -f "$web/index.html" ] || fail "the tree has no dashboard ($web/index.html; scripts/build.sh builds web/dist)"

# A native mosquitto on a free loopback port.
mqtt_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$mqtt_port" >"$tmp/mosquitto.conf"
"$mosquitto" -c "$tmp/mosquitto.conf" >"$tmp/mosquitto.log" 2>&1 &
pids+=($!)
wait_for_port 127.0.0.1 "$mqtt_port" 10 || fail "mosquitto did not start: $(cat "$tmp/mosquitto.log")"

# The bridge (under qemu for arm64) with the packaged configuration; only paths and ports changed, on
# the command line (which takes precedence over the file).
log="$tmp/bridge.log"
"${run[@]}" "$bridge" --config "$conf" --db "$tmp/bridge.db" --http-port 0 \
  --mqtt-url "tcp://127.0.0.1:$mqtt_port" --web-root "$web" 2>"$log" &
bridge_pid=$!
pids+=("$bridge_pid")
port=""
for _ in $(seq 1 300); do  # 30 s: qemu starts slower than the native binary
  port=$(sed -n 's/.*info http listening url=http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$log" 2>/dev/null | head -1)
  [ -n "$port" ] && break
  kill -0 "$bridge_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || fail "the $arch bridge did not start: $(cat "$log")"
api() { curl -sS --max-time 5 "http://127.0.0.1:$port$1"; }
mqtt_up() { api /api/health 2>/dev/null | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin).get("mqtt") != "connected")' 2>/dev/null; }
wait_until 20 mqtt_up || fail "the $arch bridge did not connect to mosquitto: $(api /api/health 2>&1) $(tail -5 "$log")"
page=$(api / 2>&1 || true)
grep -qi '<!doctype html' <<<"$page" || fail "GET / does not serve the dashboard from $web: ${page:0:200}"

# Subscribe over WebSocket first, then publish: the reading must come live through the hub.
id="smoke-$arch-$$"
value="$((RANDOM % 1000)).$((RANDOM % 100))25"
timeout -k 5 30 python3 "$here/ws_reading.py" "$port" "$id" "$tmp/ws.ready" 20 >"$tmp/ws.out" 2>"$tmp/ws.err" &
ws_pid=$!
pids+=("$ws_pid")
wait_until 10 test -s "$tmp/ws.ready" || fail "WebSocket subscribe to sensor:$id not acknowledged: $(cat "$tmp/ws.err")"
timeout 10 mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -q 1 -t "sensors/$id" \
  -m "{\"sensorId\":\"$id\",\"value\":$value,\"unit\":\"°C\"}" || fail "mosquitto_pub"
echo "smoke $arch: published $id = $value on sensors/$id"

ws_rc=0
wait "$ws_pid" || ws_rc=$?
[ "$ws_rc" -eq 0 ] || fail "no sensor.reading over WebSocket: $(cat "$tmp/ws.err") bridge log: $(tail -5 "$log")"
same_value() {  # JSON reading on stdin; exit 0 when its sensorId and value are the published ones
  python3 -c 'import json,sys; r=json.load(sys.stdin); sys.exit(not (r.get("sensorId")==sys.argv[1] and r.get("value")==float(sys.argv[2]) and isinstance(r.get("value"),float)))' "$id" "$value"
}
same_value <"$tmp/ws.out" || fail "WebSocket reading differs from what was published ($value): $(cat "$tmp/ws.out")"
echo "smoke $arch: WebSocket sensor.reading: $(cat "$tmp/ws.out")"

rest_ok() { api "/api/sensors/$id" >"$tmp/rest.json" 2>/dev/null && same_value <"$tmp/rest.json"; }
wait_until 10 rest_ok || fail "REST /api/sensors/$id differs from what was published ($value): $(cat "$tmp/rest.json" 2>/dev/null)"
echo "smoke $arch: REST /api/sensors/$id: $(cat "$tmp/rest.json")"

# A clean stop on SIGTERM, bounded.
kill -TERM "$bridge_pid"
stop_rc=0
timeout 20 tail --pid="$bridge_pid" -f /dev/null || { kill -KILL "$bridge_pid" 2>/dev/null; fail "the $arch bridge did not stop within 20 s of SIGTERM"; }
wait "$bridge_pid" || stop_rc=$?
[ "$stop_rc" -eq 0 ] || fail "the $arch bridge exited $stop_rc on SIGTERM: $(tail -5 "$log")"
echo "smoke $arch: ok (the packaged sensor-bridge${run:+ under qemu}: MQTT in, REST and WebSocket out, clean stop)"
