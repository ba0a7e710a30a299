#!/usr/bin/env bash
# The Debian packages scripts/package.sh built (docs/OPERATIONS.md, "The Debian package").
# Usage: package_test.sh SOURCE_DIR MODE ARCH [SB_RESTRICT_AF]
#   contents  dpkg-deb --info/--contents: the files, the conffile, the unit, the maintainer
#             scripts, the dependencies computed from the binaries, the binaries' architecture
#   lintian   lintian reports no error (warnings are named in docs/OPERATIONS.md)
#   unit      systemd-analyze verify on the packaged unit, and its exposure at most 2.0
#   address_families  the packaged binary under the unit's RestrictAddressFamilies (seccomp),
#             bound to 0.0.0.0, answers a request naming this machine's address in Host
# A package that is not built skips (exit 77), unless its architecture is in
# SB_REQUIRE_PACKAGES (scripts/test.sh, which builds them first, sets "amd64 arm64"): then it fails.
set -euo pipefail
src=$1
mode=$2
arch=$3
fail() { echo "FAIL: $*" >&2; exit 1; }

version=$(sed -n 's/^project(sensor_bridge VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
deb="$src/build/pkg/sensor-bridge_${version}_${arch}.deb"
if [ ! -f "$deb" ]; then
  case " ${SB_REQUIRE_PACKAGES:-} " in *" $arch "*) fail "$deb is not built (scripts/package.sh --arch $arch)" ;; esac
  echo "SKIP: $deb is not built (scripts/package.sh --arch $arch)"
  exit 77
fi
tmp=$(mktemp -d /tmp/sb-pkg-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

case "$mode" in
contents)
  info=$(dpkg-deb --info "$deb")
  field() { dpkg-deb --field "$deb" "$1"; }
  [ "$(field Package)" = sensor-bridge ] || fail "Package: $(field Package)"
  [ "$(field Version)" = "$version" ] || fail "Version: $(field Version), the project is $version"
  [ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
  depends=$(field Depends)
  # Computed by dpkg-shlibdeps from what the binaries link, with versions; adduser for postinst.
  for lib in libc6 libstdc++6 libpaho-mqttpp3-1 libpaho-mqtt1.3 libsqlite3-0 libssl3 libzstd1 adduser; do
    re=$(sed 's/[+.]/\\&/g' <<<"$lib")
    grep -Eq "(^|, )$re( \(|,|$)" <<<"$depends" || fail "Depends lacks $lib: $depends"
  done
  grep -Eq 'libsqlite3-0 \(>= [0-9]' <<<"$depends" || fail "Depends has no computed versions: $depends"
  for s in postinst prerm postrm conffiles md5sums; do
    grep -Eq "^ +[0-9]+ bytes, +[0-9]+ lines +(\\*)? *$s" <<<"$info" || fail "no $s in the control area: $info"
  done
  dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles > "$tmp/conffiles"
  [ "$(cat "$tmp/conffiles")" = /etc/sensor-bridge/sensor-bridge.conf ] || fail "conffiles: $(cat "$tmp/conffiles")"
  dpkg-deb --contents "$deb" | awk '{print $1" "$2" "$6}' > "$tmp/contents"
  for f in ./usr/bin/sensor-bridge ./usr/bin/sensor-sim ./lib/systemd/system/sensor-bridge.service \
           ./etc/sensor-bridge/sensor-bridge.conf ./usr/share/doc/sensor-bridge/copyright \
           ./usr/share/doc/sensor-bridge/changelog.gz ./usr/share/doc/sensor-bridge/README.md \
           ./usr/share/doc/sensor-bridge/OPERATIONS.md ./usr/share/doc/sensor-bridge/CONFIGURATION.md \
           ./usr/share/doc/sensor-bridge/SECURITY.md ./usr/share/doc/sensor-bridge/sensor-bridge.conf.example \
           ./usr/share/man/man1/sensor-bridge.1.gz ./usr/share/man/man1/sensor-sim.1.gz \
           ./usr/share/sensor-bridge/web/index.html; do
    grep -q " $f\$" "$tmp/contents" || fail "not in the package: $f"
  done
  grep -q "^-rwxr-xr-x root/root ./usr/bin/sensor-bridge$" "$tmp/contents" || fail "sensor-bridge is not root-owned 0755: $(grep bin/sensor-bridge "$tmp/contents")"
  ! grep -Eq ' \./(usr/local|var|home|tmp|usr/lib/systemd)/' "$tmp/contents" || fail "files outside the package's places: $(grep -E ' \./(usr/local|var|home|tmp|usr/lib/systemd)/' "$tmp/contents")"
  ! grep -q '\.map$' "$tmp/contents" || fail "source maps packaged"
  dpkg-deb -x "$deb" "$tmp/root"
  unit="$tmp/root/lib/systemd/system/sensor-bridge.service"
  for line in "User=sensor-bridge" "Group=sensor-bridge" "StateDirectory=sensor-bridge" \
              "ExecStart=/usr/bin/sensor-bridge --config /etc/sensor-bridge/sensor-bridge.conf" \
              'ExecReload=/bin/kill -HUP $MAINPID' "ProtectSystem=strict" "NoNewPrivileges=yes" \
              "PrivateTmp=yes" "Restart=on-failure" "MemoryMax=768M" \
              "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK"; do
    grep -qxF "$line" "$unit" || fail "the unit lacks '$line'"
  done
  ! grep -q '^DynamicUser' "$unit" || fail "the packaged unit uses DynamicUser: the package makes its own user"
  grep -qx 'db = "/var/lib/sensor-bridge/bridge.db"' "$tmp/root/etc/sensor-bridge/sensor-bridge.conf" || fail "the config's db is not in the state directory"
  case "$arch" in amd64) machine="x86-64" ;; arm64) machine="ARM aarch64" ;; *) machine="$arch" ;; esac
  for b in sensor-bridge sensor-sim; do
    desc=$(file -b "$tmp/root/usr/bin/$b")
    grep -q "$machine" <<<"$desc" || fail "$b is not $machine: $desc"
    grep -q "stripped" <<<"$desc" && ! grep -q "not stripped" <<<"$desc" || fail "$b is not stripped: $desc"
  done
  for s in postinst prerm postrm; do
    dpkg-deb --ctrl-tarfile "$deb" | tar -xO "./$s" > "$tmp/$s"
    sh -n "$tmp/$s" || fail "$s does not parse"
  done
  grep -q 'adduser --system' "$tmp/postinst" || fail "postinst makes no system user"
  grep -q 'rm -rf /var/lib/sensor-bridge' "$tmp/postrm" || fail "postrm purge keeps the state"
  grep -q '/run/systemd/system' "$tmp/postinst" || fail "postinst does not check for a running systemd"
  echo "package $arch: $(du -k "$deb" | cut -f1) KiB, installed $(dpkg-deb --field "$deb" Installed-Size) KiB; Depends: $depends"
  ;;
lintian)
  command -v lintian >/dev/null || fail "lintian is not installed (scripts/setup.sh package)"
  rc=0
  out=$(lintian --fail-on error "$deb" 2>&1 | grep -v '^running with root privileges') || rc=$?
  [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "lintian: $out"
  grep -q '^E:' <<<"$out" && fail "lintian errors: $out"
  echo "lintian $arch: no error${out:+; }$(grep -c '^[WI]:' <<<"$out" || true) warnings/notes"
  [ -z "$out" ] || echo "$out"
  ;;
unit)
  command -v systemd-analyze >/dev/null || fail "systemd-analyze is not installed (package systemd)"
  dpkg-deb -x "$deb" "$tmp/root"
  # verify checks that ExecStart exists and that the user is real: point at the unpacked
  # binary, and name a user this machine has (the package's own is made by its postinst).
  sed -e "s|ExecStart=/usr/bin/|ExecStart=$tmp/root/usr/bin/|" \
      -e "s|^User=sensor-bridge|User=daemon|" -e "s|^Group=sensor-bridge|Group=daemon|" \
      "$tmp/root/lib/systemd/system/sensor-bridge.service" > "$tmp/sensor-bridge.service"
  out=$(systemd-analyze verify --man=no "$tmp/sensor-bridge.service" 2>&1) || fail "systemd-analyze verify: $out"
  [ -z "$out" ] || fail "systemd-analyze verify complains: $out"
  exposure=$(systemd-analyze security --offline=true --no-pager "$tmp/sensor-bridge.service" 2>/dev/null |
             sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
  [ -n "$exposure" ] || fail "systemd-analyze security --offline gave no exposure level"
  awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "exposure level $exposure is over 2.0"
  echo "packaged unit ($arch) verified; exposure $exposure"
  ;;
address_families)
  # The unit's RestrictAddressFamilies= applied to the packaged binary bound to 0.0.0.0: it must
  # still know its interface addresses (getifaddrs() over netlink), or a browser using the
  # gateway's address gets 421. Usage: ... address_families ARCH SB_RESTRICT_AF_BINARY
  restrict=${4:?the sb-restrict-af binary}
  source "$src/scripts/lib.sh"
  addr=$( (ip -4 -o addr show scope global 2>/dev/null || true) | awk '{print $4}' | cut -d/ -f1 | head -1)
  [ -n "$addr" ] || addr=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -v '^127\.' | grep -v : | head -1 || true)
  if [ -z "$addr" ]; then echo "SKIP: this machine has no non-loopback IPv4 address"; exit 77; fi
  dpkg-deb -x "$deb" "$tmp/root"
  families=$(sed -n 's/^RestrictAddressFamilies=//p' "$tmp/root/lib/systemd/system/sensor-bridge.service" | tr ' ' ',')
  [ -n "$families" ] || fail "the unit has no RestrictAddressFamilies="
  port=$(free_port)
  "$restrict" "$families" "$tmp/root/usr/bin/sensor-bridge" --config "$tmp/root/etc/sensor-bridge/sensor-bridge.conf" \
    --bind 0.0.0.0 --http-port "$port" --db "$tmp/bridge.db" --mqtt-url tcp://127.0.0.1:1 \
    --web-root "$tmp/root/usr/share/sensor-bridge/web" 2>"$tmp/bridge.log" &
  pid=$!
  trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
  wait_for_port 127.0.0.1 "$port" 10 || fail "the bridge did not start under RestrictAddressFamilies=$families: $(cat "$tmp/bridge.log")"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Host: $addr:$port" "http://127.0.0.1:$port/api/sensors")
  [ "$code" = 200 ] || fail "GET /api/sensors with Host: $addr:$port (this machine's address) answered $code under RestrictAddressFamilies=$families: $(grep -E 'interface|host refused' "$tmp/bridge.log" | head -3)"
  ! grep -q "interface addresses unknown" "$tmp/bridge.log" || fail "$(grep 'interface addresses unknown' "$tmp/bridge.log")"
  echo "address families $families: Host $addr:$port answered 200"
  ;;
*) fail "unknown mode $mode" ;;
esac
