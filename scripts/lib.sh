# Shared helpers for the scripts. Source it; do not run it.

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# A free TCP port on 127.0.0.1 (the kernel picks it; a tiny race remains, acceptable for tools).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Waits until host:port accepts TCP connections, up to $3 seconds.
wait_for_port() {
  local host=$1 port=$2 timeout=${3:-10} waited=0
  until (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; do
    waited=$((waited + 1))
    if [ "$waited" -gt $((timeout * 10)) ]; then return 1; fi
    sleep 0.1
  done
}

repo_root() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd
}

# Runs the command after $1 until it succeeds, every 0.2 s, for at most $1 seconds.
wait_until() {
  local deadline=$(( $(date +%s) + $1 ))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
