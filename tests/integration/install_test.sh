#!/usr/bin/env bash
# `cmake --install` into a DESTDIR with prefix /usr/local: the files land where docs/OPERATIONS.md
# says, the installed binary runs and serves the installed dashboard, the sample configuration
# loads, a second install keeps an edited configuration, and (when systemd-analyze is there) the
# unit verifies cleanly. Usage: install_test.sh BUILD_DIR [unit]. Exit 77: skipped.
set -euo pipefail
build_dir=$1
mode=${2:-tree}
dest=$(mktemp -d /tmp/sb-install-XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dest"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

DESTDIR="$dest" cmake --install "$build_dir" --prefix /usr/local >"$dest.log" 2>&1 || { cat "$dest.log"; fail "cmake --install"; }
rm -f "$dest.log"
root="$dest/usr/local"
unit="$root/lib/systemd/system/sensor-bridge.service"

if [ "$mode" = unit ]; then
  command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze not installed (package systemd)"; exit 77; }
  # verify checks that ExecStart exists: point it at the binary inside DESTDIR.
  sed -e "s|ExecStart=/usr/local/bin/|ExecStart=$root/bin/|" "$unit" > "$dest/sensor-bridge.service"
  out=$(systemd-analyze verify --man=no "$dest/sensor-bridge.service" 2>&1) || fail "systemd-analyze verify: $out"
  [ -z "$out" ] || fail "systemd-analyze verify complains: $out"
  exposure=$(systemd-analyze security --offline=true --no-pager "$dest/sensor-bridge.service" 2>/dev/null |
             sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
  [ -n "$exposure" ] || { echo "SKIP: systemd-analyze security --offline is not supported here"; exit 77; }
  awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "exposure level $exposure is over 2.0"
  echo "unit verified; systemd-analyze security exposure $exposure"
  exit 0
fi

for f in bin/sensor-bridge bin/sensor-sim lib/systemd/system/sensor-bridge.service \
         etc/sensor-bridge/sensor-bridge.conf share/doc/sensor-bridge/sensor-bridge.conf.example \
         share/doc/sensor-bridge/OPERATIONS.md share/sensor-bridge/web/index.html; do
  [ -e "$root/$f" ] || fail "not installed: $f"
done
grep -qx "ExecStart=/usr/local/bin/sensor-bridge --config /usr/local/etc/sensor-bridge/sensor-bridge.conf" "$unit" \
  || fail "unit paths do not follow the prefix: $(grep ExecStart "$unit")"

"$root/bin/sensor-bridge" --version | grep -q '0\.1\.0' || fail "installed --version"
"$root/bin/sensor-sim" --help >/dev/null || fail "installed sensor-sim --help"
"$root/bin/sensor-bridge" --config "$root/etc/sensor-bridge/sensor-bridge.conf" --print-config \
  | grep -qx 'db = "/var/lib/sensor-bridge/bridge.db"' || fail "installed config does not load"

# The installed binary serves the installed dashboard by default (no --web-root). MQTT is down on
# purpose: the bridge serves HTTP anyway and keeps retrying.
log="$dest/bridge.log"
"$root/bin/sensor-bridge" --http-port 0 --db "$dest/bridge.db" --mqtt-url tcp://127.0.0.1:1 2>"$log" &
pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*http listening url=http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
[ -n "$port" ] || fail "installed bridge did not start: $(cat "$log")"
grep -q "web_root=$root/share/sensor-bridge/web" "$log" || fail "web root is not the installed one: $(grep listening "$log")"
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
page=$(timeout 5 cat <&3 || true)
exec 3<&-
grep -q "200 OK" <<<"$page" || fail "GET / on the installed bridge: ${page:0:200}"
grep -qi "<!doctype html" <<<"$page" || fail "GET / is not the dashboard page"
kill -TERM "$pid"
wait "$pid" || fail "installed bridge did not stop cleanly on SIGTERM"
pid=""

# An upgrade (a second install) never overwrites the operator's configuration.
sed -i 's/^http-port = 8080$/http-port = 9999/' "$root/etc/sensor-bridge/sensor-bridge.conf"
grep -qx 'http-port = 9999' "$root/etc/sensor-bridge/sensor-bridge.conf" || fail "the sample config has no 'http-port = 8080' line to edit"
DESTDIR="$dest" cmake --install "$build_dir" --prefix /usr/local >/dev/null
grep -qx 'http-port = 9999' "$root/etc/sensor-bridge/sensor-bridge.conf" || fail "reinstall overwrote the configuration"
echo "install tree ok"
