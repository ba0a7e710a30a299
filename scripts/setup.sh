#!/usr/bin/env bash
# Installs everything sensor-bridge needs to build, run and test, from Debian's archive and npm.
# Idempotent: installs only what is missing. Works as root or with sudo.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

packages=(
  build-essential cmake pkg-config
  libpaho-mqttpp-dev libpaho-mqtt-dev libwebsocketpp-dev libasio-dev rapidjson-dev
  libsqlite3-dev libcli11-dev libgtest-dev libssl-dev libzstd-dev
  mosquitto mosquitto-clients nginx openssl
  chromium python3 ca-certificates curl
  clang libclang-rt-dev
  faketime libfaketime
)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: system packages present"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $node_major is too old for the dashboard build (need 20 or newer)" >&2
  exit 1
fi
