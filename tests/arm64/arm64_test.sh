#!/usr/bin/env bash
# The arm64 cross build (scripts/cross-arm64.sh) run under qemu-aarch64-static, invoked
# explicitly (binfmt_misc may not be registered). docs/OPERATIONS.md, "arm64".
# Usage: arm64_test.sh BUILD_ARM64_DIR unit|smoke
#   unit   runs every unit test executable of BUILD_ARM64_DIR/tests; all must pass
#   smoke  the arm64 sensor-bridge from an installed tree, with the packaged configuration,
#          against a native mosquitto: one reading published, read back over REST and WebSocket
# The tree smoke runs from: ARM64_DEB (a .deb), else the newest build/pkg/sensor-bridge_*_arm64.deb
# (scripts/package.sh --arch arm64) unpacked with dpkg -x, else `cmake --install BUILD_ARM64_DIR
# --prefix /usr` into a temporary DESTDIR. ARM64_TREE_FROM=install forces the last.
# Exit 77 (skipped) only when BUILD_ARM64_DIR does not exist.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/lib.sh"

[ $# -eq 2 ] || { echo "usage: arm64_test.sh BUILD_ARM64_DIR unit|smoke" >&2; exit 2; }
arm_dir=$1
mode=$2
if [ ! -d "$arm_dir" ]; then
  echo "SKIP: $arm_dir does not exist (scripts/cross-arm64.sh builds it)"
  exit 77
fi
arm_dir=$(cd "$arm_dir" && pwd)
fail() {
  echo "FAIL: $*" >&2
  local f
  for f in "${tmp:-/nonexistent}"/bridge.log "${tmp:-/nonexistent}"/mosquitto.log "${tmp:-/nonexistent}"/ws.err; do
    [ -s "$f" ] && { echo "--- last lines of $(basename "$f"):" >&2; tail -n 15 "$f" >&2; }
  done
  exit 1
}
qemu=$(command -v qemu-aarch64-static) || fail "qemu-aarch64-static is not installed (scripts/setup.sh arm64)"
is_arm64() { [[ $(file -b "$1") == *"ELF 64-bit"*"ARM aarch64"* ]]; }
# set -e ends the script on any failing command: say which.
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR

tmp=$(mktemp -d /tmp/sb-arm64-XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$mode" = unit ]; then
  # The arm64 tree builds only the unit suite (SENSOR_BRIDGE_TEST_SUITES=unit): every executable
  # in its tests/ is a GoogleTest binary.
  grep -qx 'SENSOR_BRIDGE_TEST_SUITES:STRING=unit' "$arm_dir/CMakeCache.txt" 2>/dev/null \
    || fail "$arm_dir is not configured with SENSOR_BRIDGE_TEST_SUITES=unit (scripts/cross-arm64.sh does it)"
  mapfile -t exes < <(find "$arm_dir/tests" -maxdepth 1 -type f -perm -u+x | sort)
  [ ${#exes[@]} -gt 0 ] || fail "no unit test executables in $arm_dir/tests"
  total=0
  failed=()
  for exe in "${exes[@]}"; do
    name=$(basename "$exe")
    is_arm64 "$exe" || fail "$exe is not an arm64 binary: $(file -b "$exe")"
    mkdir -p "$tmp/$name"
    start=$(date +%s)
    rc=0
    # Each in a directory of its own; 600 s bounds a hang (all of them together take minutes).
    (cd "$tmp/$name" && timeout -k 10 600 "$qemu" "$exe" --gtest_brief=1 --gtest_color=no) >"$tmp/$name.log" 2>&1 || rc=$?
    ran=$(sed -n 's/^\[==========\] \([0-9]*\) tests\? from .* ran\..*/\1/p' "$tmp/$name.log" | tail -1)
    passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\?\..*/\1/p' "$tmp/$name.log" | tail -1)
    if [ "$rc" -ne 0 ] || [ -z "$ran" ] || [ "$ran" != "${passed:-x}" ]; then
      echo "arm64.unit: $name FAILED (exit $rc, ${ran:-?} ran, ${passed:-0} passed):"
      tail -n 60 "$tmp/$name.log"
      failed+=("$name")
    else
      echo "arm64.unit: $name: $ran tests passed ($(( $(date +%s) - start )) s)"
    fi
    total=$((total + ${ran:-0}))
  done
  echo "arm64.unit: $total tests run in ${#exes[@]} executables under qemu-aarch64-static"
  [ ${#failed[@]} -eq 0 ] || fail "arm64 unit tests failed: ${failed[*]}"
  exit 0
fi

[ "$mode" = smoke ] || { echo "usage: arm64_test.sh BUILD_ARM64_DIR unit|smoke" >&2; exit 2; }
for tool in mosquitto_pub curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/setup.sh test)"
done
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[ -x "$mosquitto" ] || fail "mosquitto is not installed (scripts/setup.sh demo)"

# The tree: the arm64 package when there is one, else an install of the arm64 build.
tree="$tmp/tree"
mkdir -p "$tree"
deb=${ARM64_DEB:-}
if [ -z "$deb" ] && [ "${ARM64_TREE_FROM:-}" != install ]; then
  deb=$(ls -t "$root"/build/pkg/sensor-bridge_*_arm64.deb 2>/dev/null | head -1 || true)
fi
if [ -n "$deb" ]; then
  echo "arm64.smoke: tree from $deb (dpkg -x)"
  [ "$deb" -nt "$arm_dir/bin/sensor-bridge" ] || echo "arm64.smoke: note: $deb is older than $arm_dir/bin/sensor-bridge"
  dpkg -x "$deb" "$tree" || fail "dpkg -x $deb"
else
  echo "arm64.smoke: tree from DESTDIR=... cmake --install $arm_dir --prefix /usr"
  DESTDIR="$tree" cmake --install "$arm_dir" --prefix /usr >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "cmake --install"; }
fi
bridge="$tree/usr/bin/sensor-bridge"
conf="$tree/etc/sensor-bridge/sensor-bridge.conf"
web="$tree/usr/share/sensor-bridge/web"
[ -f "$bridge" ] && is_arm64 "$bridge" || fail "$bridge is missing or not an arm64 binary"
[ -f "$conf" ] || fail "the tree has no $conf"
[ -f "$web/index.html" ] || fail "the tree has no dashboard ($web/index.html; scripts/build.sh builds web/dist)"

# A native mosquitto on a free loopback port.
mqtt_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$mqtt_port" >"$tmp/mosquitto.conf"
"$mosquitto" -c "$tmp/mosquitto.conf" >"$tmp/mosquitto.log" 2>&1 &
pids+=($!)
wait_for_port 127.0.0.1 "$mqtt_port" 10 || fail "mosquitto did not start: $(cat "$tmp/mosquitto.log")"

# The arm64 bridge under qemu with the packaged configuration; only paths and ports changed, on
# the command line (which takes precedence over the file).
log="$tmp/bridge.log"
"$qemu" "$bridge" --config "$conf" --db "$tmp/bridge.db" --http-port 0 \
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
[ -n "$port" ] || fail "the arm64 bridge did not start: $(cat "$log")"
api() { curl -sS --max-time 5 "http://127.0.0.1:$port$1"; }
mqtt_up() { api /api/health 2>/dev/null | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin).get("mqtt") != "connected")' 2>/dev/null; }
wait_until 20 mqtt_up || fail "the arm64 bridge did not connect to mosquitto: $(api /api/health 2>&1) $(tail -5 "$log")"
page=$(api / 2>&1 || true)
grep -qi '<!doctype html' <<<"$page" || fail "GET / does not serve the dashboard from $web: ${page:0:200}"

# Subscribe over WebSocket first, then publish: the reading must come live through the hub.
id="arm64-smoke-$$"
value="$((RANDOM % 1000)).$((RANDOM % 100))25"
timeout -k 5 30 python3 "$here/ws_reading.py" "$port" "$id" "$tmp/ws.ready" 20 >"$tmp/ws.out" 2>"$tmp/ws.err" &
ws_pid=$!
pids+=("$ws_pid")
wait_until 10 test -s "$tmp/ws.ready" || fail "WebSocket subscribe to sensor:$id not acknowledged: $(cat "$tmp/ws.err")"
timeout 10 mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -q 1 -t "sensors/$id" \
  -m "{\"sensorId\":\"$id\",\"value\":$value,\"unit\":\"°C\"}" || fail "mosquitto_pub"
echo "arm64.smoke: published $id = $value on sensors/$id"

ws_rc=0
wait "$ws_pid" || ws_rc=$?
[ "$ws_rc" -eq 0 ] || fail "no sensor.reading over WebSocket: $(cat "$tmp/ws.err") bridge log: $(tail -5 "$log")"
same_value() {  # JSON reading on stdin; exit 0 when its sensorId and value are the published ones
  python3 -c 'import json,sys; r=json.load(sys.stdin); sys.exit(not (r.get("sensorId")==sys.argv[1] and r.get("value")==float(sys.argv[2]) and isinstance(r.get("value"),float)))' "$id" "$value"
}
same_value <"$tmp/ws.out" || fail "WebSocket reading differs from what was published ($value): $(cat "$tmp/ws.out")"
echo "arm64.smoke: WebSocket sensor.reading: $(cat "$tmp/ws.out")"

rest_ok() { api "/api/sensors/$id" >"$tmp/rest.json" 2>/dev/null && same_value <"$tmp/rest.json"; }
wait_until 10 rest_ok || fail "REST /api/sensors/$id differs from what was published ($value): $(cat "$tmp/rest.json" 2>/dev/null)"
echo "arm64.smoke: REST /api/sensors/$id: $(cat "$tmp/rest.json")"

# A clean stop on SIGTERM, bounded.
kill -TERM "$bridge_pid"
stop_rc=0
timeout 20 tail --pid="$bridge_pid" -f /dev/null || { kill -KILL "$bridge_pid" 2>/dev/null; fail "the arm64 bridge did not stop within 20 s of SIGTERM"; }
wait "$bridge_pid" || stop_rc=$?
[ "$stop_rc" -eq 0 ] || fail "the arm64 bridge exited $stop_rc on SIGTERM: $(tail -5 "$log")"
echo "arm64.smoke: ok (arm64 sensor-bridge under qemu: MQTT in, REST and WebSocket out, clean stop)"
