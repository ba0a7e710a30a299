#!/usr/bin/env bash
# Installs what a purpose needs, from Debian's archive (npm packages come with `npm ci` in
# build.sh). Idempotent: installs only what is missing. Works as root or with sudo.
# Usage: scripts/setup.sh [PURPOSE...]   (default: test, which is everything)
#   build    compile the bridge, the simulator and the dashboard (compiler, -dev libraries, Node.js)
#   demo     build, plus mosquitto to run scripts/demo.sh
#   cluster  demo, plus nginx for scripts/cluster-demo.sh
#   package  build, plus Debian's packaging tools (scripts/package.sh: dpkg-dev, lintian, help2man)
#   arm64    package, plus the arm64 cross toolchain, the arm64 -dev libraries (Debian multiarch:
#            adds the arm64 architecture to dpkg) and qemu-user-static to run what it builds
#   test     all of the above, plus what the tests drive: Chromium, nginx, clang (fuzzing),
#            faketime, curl, the mosquitto clients, systemd-analyze
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# The libraries the bridge links, without their architecture (":arm64" is added for the cross build).
dev_libs=(
  libpaho-mqttpp-dev libpaho-mqtt-dev libwebsocketpp-dev libsqlite3-dev libssl-dev libzstd-dev
  libgtest-dev
)
build_pkgs=(build-essential cmake pkg-config libasio-dev rapidjson-dev libcli11-dev "${dev_libs[@]}")
demo_pkgs=(mosquitto)
package_pkgs=(dpkg-dev fakeroot file lintian help2man)
arm64_pkgs=(crossbuild-essential-arm64 qemu-user-static "${dev_libs[@]/%/:arm64}")
test_pkgs=(
  mosquitto-clients nginx openssl chromium python3 ca-certificates curl
  clang libclang-rt-dev faketime libfaketime systemd
)

purposes=("$@")
[ ${#purposes[@]} -gt 0 ] || purposes=(test)
wanted=()
want_arm64=0
for purpose in "${purposes[@]}"; do
  case "$purpose" in
    build) wanted+=("${build_pkgs[@]}") ;;
    demo) wanted+=("${build_pkgs[@]}" "${demo_pkgs[@]}") ;;
    cluster) wanted+=("${build_pkgs[@]}" "${demo_pkgs[@]}" nginx) ;;
    package) wanted+=("${build_pkgs[@]}" "${package_pkgs[@]}") ;;
    arm64) wanted+=("${build_pkgs[@]}" "${package_pkgs[@]}" "${arm64_pkgs[@]}"); want_arm64=1 ;;
    test) wanted+=("${build_pkgs[@]}" "${demo_pkgs[@]}" "${package_pkgs[@]}" "${arm64_pkgs[@]}" "${test_pkgs[@]}"); want_arm64=1 ;;
    *) echo "setup: unknown purpose '$purpose' (build, demo, cluster, package, arm64, test)" >&2; exit 2 ;;
  esac
done
command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)

update_done=0
apt_update() {
  [ "$update_done" -eq 1 ] && return
  as_root apt-get update -qq
  update_done=1
}

# arm64 packages come from the same archive once dpkg knows the architecture (multiarch).
if [ "$want_arm64" -eq 1 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "setup: adding the arm64 architecture to dpkg (multiarch)"
  as_root dpkg --add-architecture arm64
fi

native=$(dpkg --print-architecture)
missing=()
for p in "${wanted[@]}"; do
  case " ${missing[*]} " in *" $p "*) continue ;; esac
  # With arm64 added, a name without ":arch" matches both architectures' packages: ask for
  # the native one, or the architecture-independent one.
  q=$p
  case "$p" in *:*) ;; *) q="$p:$native $p:all" ;; esac
  # shellcheck disable=SC2086
  status=$(dpkg-query -W -f='${Status}\n' $q 2>/dev/null || true)
  grep -qx "install ok installed" <<<"$status" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt_update
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: system packages present (${purposes[*]})"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $node_major is too old for the dashboard build (need 20 or newer)" >&2
  exit 1
fi
