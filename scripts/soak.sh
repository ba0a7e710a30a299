#!/usr/bin/env bash
# Soak run (docs/FAULTS.md, Soak). Two mosquittos, A and B, bridged to each other (B's
# `connection … topic # both`); the bridge given both (--mqtt-url A --mqtt-url B); sensor-sim
# publishing to B (mixed formats, 5 % bad payloads); ws-churn (WebSocket and REST clients
# connecting, subscribing, stalling, reading slowly, sending bad messages and requests, failing,
# leaving) for SECONDS, then SIGTERM. Broker events every min(100, SECONDS/4) s, in turn: A stops
# (the bridge fails over to B), A comes back (readings reach it through B's bridge again), B
# restarts (the bridge fails back to A); after each, bounded waits for health `ok` on the
# expected broker and for readings accepted to increase. VmRSS, open descriptors, connections,
# accepted readings and the broker in use are sampled to a CSV and printed as a table at the end.
# By default the bridge is built in build-asan with AddressSanitizer, LeakSanitizer and UBSan.
#
# Fails on a sanitizer report, an exit other than 0 after SIGTERM, a broker event not recovered
# from, churn the bridge did not serve, descriptors not back to their baseline once the churn is
# over, RSS after it more than RSS_TOLERANCE_KIB (32768) above the baseline, or a curve that is
# not flat: the highest RSS sampled in the last third of the run more than RSS_FLAT_KIB (8192)
# above the highest in the first third, or the most descriptors in the last third more than
# FDS_FLAT (8) above the most in the first third.
#
# Usage: scripts/soak.sh [--seconds 120] [--build-dir DIR] [--no-build] [--report FILE]
#                        [--sample-every N]
#   --no-build     uses DIR's binaries as they are (ctest's short soak runs on the regular build)
#   --report FILE  copies the samples (CSV) to FILE
#   --sample-every seconds between samples; default SECONDS/10, between 1 and 10
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"

usage="usage: scripts/soak.sh [--seconds N] [--build-dir DIR] [--no-build] [--report FILE] [--sample-every N]"
seconds=120
build="$root/build-asan"
do_build=1
report=""
sample_every=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --report) report=$2; shift 2 ;;
    --sample-every) sample_every=$2; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
is_count() { case "$1" in '' | *[!0-9]* | 0*) return 1 ;; esac; }
is_count "$seconds" || { echo "soak: --seconds must be a positive integer" >&2; exit 2; }
[ -n "$sample_every" ] || sample_every=$(( seconds / 10 > 10 ? 10 : (seconds < 10 ? 1 : seconds / 10) ))
is_count "$sample_every" || { echo "soak: --sample-every must be a positive integer" >&2; exit 2; }
[ -z "$report" ] || [ -d "$(dirname "$report")" ] || { echo "soak: no directory for --report $report" >&2; exit 2; }
tolerance_kib=${RSS_TOLERANCE_KIB:-32768} flat_kib=${RSS_FLAT_KIB:-8192} fds_flat=${FDS_FLAT:-8}

if [ "$do_build" -eq 1 ]; then
  echo "soak: building $build with -fsanitize=address,undefined"
  # GCC's sanitizers bring false -Wmaybe-uninitialized warnings (its manual advises against
  # -Werror with them): kept as warnings here, errors in the regular build.
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -Wno-error=maybe-uninitialized" >/dev/null
  cmake --build "$build" -j"$(nproc)" --target sensor-bridge sensor-sim ws-churn >/dev/null
fi
bridge_bin=$build/bin/sensor-bridge sim_bin=$build/bin/sensor-sim churn_bin=$build/tests/ws-churn
for b in "$bridge_bin" "$sim_bin" "$churn_bin" /usr/sbin/mosquitto /usr/bin/mosquitto_sub; do
  [ -x "$b" ] || { echo "soak: $b is missing (build it, or drop --no-build)" >&2; exit 1; }
done

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:quarantine_size_mb=16
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
work=$(mktemp -d /tmp/sb-soak-XXXXXX)
csv=$work/samples.csv
pids=()
declare -A broker_pid=() broker_port=()
ok=0
cleanup() {
  touch "$work/stop-sampling"
  for (( i=${#pids[@]}-1; i>=0; i-- )); do kill "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${broker_pid[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}" "${broker_pid[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$ok" -eq 1 ]; then rm -rf "$work"; else echo "soak: logs kept in $work" >&2; fi
}
trap cleanup EXIT
fail() { echo "soak: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { python3 -c "print(f'{$(now) - $1:.1f}')"; }  # seconds since a now(), to 0.1 s

# GET path on the bridge; prints the body.
http_get() {
  local body
  exec 3<>"/dev/tcp/127.0.0.1/$http_port"
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3
  body=$(cat <&3)
  exec 3<&-
  printf '%s' "${body#*$'\r\n\r\n'}"
}
# Fields of /api/stats, e.g. ws.connections ingest.accepted, on one line.
stats_fields() {
  http_get /api/stats | python3 -c 'import json,sys; d=json.load(sys.stdin)
print(" ".join(str(d[f.split(".")[0]][f.split(".")[1]]) for f in sys.argv[1:]))' "$@"
}
# /api/health as "status mqtt broker", the broker as A or B.
health() {
  http_get /api/health | python3 -c 'import json,sys; d=json.load(sys.stdin)
names={"tcp://127.0.0.1:'"${broker_port[A]}"'":"A","tcp://127.0.0.1:'"${broker_port[B]}"'":"B"}
print(d["status"], d["mqtt"], names.get(d.get("broker"), d.get("broker")))' 2>/dev/null || echo "- - -"
}
fds() { ls "/proc/$bridge_pid/fd" | wc -l; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$bridge_pid/status"; }
gone() { ! kill -0 "$1" 2>/dev/null; }
on_broker() { [ "$(health)" = "ok connected $1" ]; }
accepted_above() { [ "$(stats_fields ingest.accepted)" -gt "$1" ] 2>/dev/null; }

# mosquitto A or B on its port (the same across restarts), logging to mosquitto-NAME.log.
start_broker() {
  /usr/sbin/mosquitto -c "$work/mosquitto-$1.conf" >>"$work/mosquitto-$1.log" 2>&1 &
  broker_pid[$1]=$!
  if ! wait_for_port 127.0.0.1 "${broker_port[$1]}" 10 || gone "${broker_pid[$1]}"; then
    fail "mosquitto $1 did not start on port ${broker_port[$1]}: $(tail -3 "$work/mosquitto-$1.log")"
  fi
}
stop_broker() {
  kill -TERM "${broker_pid[$1]}"
  wait_until 10 gone "${broker_pid[$1]}" || kill -KILL "${broker_pid[$1]}" 2>/dev/null || true
  wait "${broker_pid[$1]}" 2>/dev/null || true
  unset "broker_pid[$1]"
}

# Broker event k of the cycle (A stops, A comes back, B restarts), then what must follow: health
# ok on the expected broker, and readings accepted after that (bounded waits). Logged to events.
broker_event() {
  local t0 t what expect before
  t0=$(now) t=$(( $(date +%s) - start ))
  case $(( $1 % 3 )) in
    0) what="A stopped" expect=B; stop_broker A ;;
    1) what="A back" expect=B; start_broker A
       # B's bridge to A is up again: live (not retained) readings arrive on A.
       timeout 25 /usr/bin/mosquitto_sub -h 127.0.0.1 -p "${broker_port[A]}" -t "#" -R -C 1 -W 20 >/dev/null ||
         fail "t=${t}s $what: no reading reached A through B's bridge within 20 s" ;;
    *) what="B restarted" expect=A; stop_broker B; start_broker B ;;
  esac
  wait_until 15 on_broker "$expect" || fail "t=${t}s $what: health is '$(health)', not 'ok connected $expect' after 15 s"
  before=$(stats_fields ingest.accepted)
  wait_until 20 accepted_above "$before" || fail "t=${t}s $what: no reading accepted through $expect within 20 s"
  echo "soak: t=${t}s $what: health ok on $expect, readings accepted again $(since "$t0") s after the event" |
    tee -a "$work/events.log"
}

# One row of the CSV: seconds since the churn began, phase, VmRSS KiB, descriptors, WebSocket
# connections, readings accepted, broker in use.
sample() {
  local s h
  s=$(stats_fields ws.connections ingest.accepted 2>/dev/null) || s="- -"
  h=$(health)
  echo "$(( $(date +%s) - start )),$1,$(rss),$(fds),${s/ /,},${h##* }" >>"$csv"
}
# Every sample_every seconds until $work/stop-sampling exists.
sampler() {
  local next=$sample_every
  until [ -e "$work/stop-sampling" ]; do
    if [ $(( $(date +%s) - start )) -ge "$next" ]; then sample run; next=$(( next + sample_every )); fi
    sleep 0.2
  done
}

for name in A B; do broker_port[$name]=$(free_port); done
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "${broker_port[A]}" >"$work/mosquitto-A.conf"
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nconnection to-a\naddress 127.0.0.1:%s\ntopic # both 1\nrestart_timeout 1\n' \
  "${broker_port[B]}" "${broker_port[A]}" >"$work/mosquitto-B.conf"
start_broker A
start_broker B

# Small --conflate-bytes / --max-buffered-bytes so that slow and stalled clients reach them.
"$bridge_bin" --mqtt-url "tcp://127.0.0.1:${broker_port[A]}" --mqtt-url "tcp://127.0.0.1:${broker_port[B]}" \
  --http-port 0 --db "$work/bridge.db" --ping-interval 2 --pong-timeout-ms 1000 \
  --conflate-bytes 65536 --max-buffered-bytes 262144 --slow-grace-ms 2000 >"$work/bridge.log" 2>&1 &
bridge_pid=$!
pids+=("$bridge_pid")
http_port=""
port_logged() {
  http_port=$(grep -o 'listening url=http://127.0.0.1:[0-9]*' "$work/bridge.log" | grep -o '[0-9]*$' || true)
  [ -n "$http_port" ] || gone "$bridge_pid"
}
wait_until 30 port_logged || true
[ -n "$http_port" ] || fail "the bridge did not report its port: $(tail -5 "$work/bridge.log")"

"$sim_bin" --mqtt-url "tcp://127.0.0.1:${broker_port[B]}" --sensors 48 --rate 10 --format mixed --faults 0.05 \
  --quiet >"$work/sim.log" 2>&1 &
sim_pid=$!
pids+=("$sim_pid")

# Warm-up: readings flowing (through B's bridge to A), the first commits done, caches settled.
wait_until 30 accepted_above 0 || fail "no readings accepted after 30 s"
on_broker A || fail "the bridge is not on A at start: $(health)"
sleep 5
fds_base=$(fds) rss_base=$(rss)
event_step=$(( seconds / 4 < 100 ? seconds / 4 : 100 )) events=0
[ "$event_step" -lt 5 ] || events=$(( (seconds - 5) / event_step ))
echo "soak: bridge pid $bridge_pid on port $http_port, brokers A ${broker_port[A]} and B ${broker_port[B]};" \
  "baseline fds=$fds_base rss=${rss_base} KiB; churn for ${seconds}s, $events broker events every ${event_step}s," \
  "a sample every ${sample_every}s"

start=$(date +%s)
echo "t_s,phase,rss_kib,fds,connections,accepted,broker" >"$csv"
sample base
"$churn_bin" --port "$http_port" --seconds "$seconds" --workers 6 >"$work/churn.log" 2>&1 &
churn_pid=$!
pids+=("$churn_pid")
sampler &
pids+=($!)
sampler_pid=$!
k=0
while [ "$k" -lt "$events" ] || ! gone "$churn_pid"; do
  if [ "$k" -lt "$events" ] && { [ $(( $(date +%s) - start )) -ge $(( (k + 1) * event_step )) ] || gone "$churn_pid"; }; then
    broker_event "$k"
    k=$(( k + 1 ))
  fi
  sleep 0.5
done
churn_rc=0
wait "$churn_pid" || churn_rc=$?
cat "$work/churn.log"

# After the churn: every connection gone, every descriptor back (bounded waits).
no_connections() { [ "$(stats_fields ws.connections)" = 0 ]; }
fds_back() { [ "$(fds)" -eq "$fds_base" ]; }
wait_until 30 no_connections || true
wait_until 15 fds_back || true
touch "$work/stop-sampling"
wait "$sampler_pid" || true
sample after
fds_after=$(fds) rss_after=$(rss) connections_after=$(stats_fields ws.connections)
fd_list=$(ls -l "/proc/$bridge_pid/fd" | tail -n +2)
counts=$(stats_fields ingest.accepted ingest.rejected ws.conflated ws.slowClosed)

kill -TERM "$sim_pid"; wait "$sim_pid" || true
kill -TERM "$bridge_pid"
bridge_rc=0
wait "$bridge_pid" || bridge_rc=$?

# The curve: at most 30 rows of the CSV, evenly spaced, the first and last always.
echo "soak: samples (every ${sample_every}s; all of them in the CSV):"
awk -F, 'NR > 1 { n++; row[n] = $0 }
  END { step = int((n + 29) / 30); printf "  %6s %-5s %9s %4s %5s %9s %s\n", "t(s)", "phase", "rss KiB", "fds", "conns", "accepted", "broker"
        for (i = 1; i <= n; i++) if ((i - 1) % step == 0 || i == n) { split(row[i], f, ","); printf "  %6s %-5s %9s %4s %5s %9s %s\n", f[1], f[2], f[3], f[4], f[5], f[6], f[7] } }' "$csv"
read -r rss_peak fds_peak rss_first rss_last fds_first fds_last < <(awk -F, -v s="$seconds" '
  $2 == "run" || $2 == "base" { if ($3 > rp) rp = $3; if ($4 > fp) fp = $4 }
  $2 == "run" && $1 <= s / 3 { if ($3 > r1) r1 = $3; if ($4 > f1) f1 = $4 }
  $2 == "run" && $1 >= s - s / 3 { if ($3 > r3) r3 = $3; if ($4 > f3) f3 = $4 }
  END { print rp + 0, fp + 0, r1 + 0, r3 + 0, f1 + 0, f3 + 0 }' "$csv")
[ -z "$report" ] || cp "$csv" "$report"
echo "soak: fds base=$fds_base peak=$fds_peak after=$fds_after (highest in the first third $fds_first, last third $fds_last);" \
  "rss KiB base=$rss_base peak=$rss_peak after=$rss_after (highest in the first third $rss_first, last third $rss_last)"
echo "soak: accepted rejected conflated slowClosed: $counts; broker events $k of $events${report:+; samples in $report}"

reports=$(cat "$work"/*.log | grep -cE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: [A-Za-z]+Sanitizer' || true)
[ "$reports" -eq 0 ] || { grep -hE -A30 'Sanitizer|runtime error:' "$work"/*.log | head -80 >&2; fail "$reports sanitizer report(s)"; }
[ "$bridge_rc" -eq 0 ] || fail "the bridge exited with $bridge_rc after SIGTERM: $(tail -5 "$work/bridge.log")"
[ "$churn_rc" -eq 0 ] || fail "the churn saw failures (see above)"
[ "$connections_after" -eq 0 ] || fail "$connections_after WebSocket connections still open after the churn"
[ "$fds_after" -eq "$fds_base" ] || fail "open descriptors $fds_base before the churn, $fds_after after:"$'\n'"$fd_list"
[ "$rss_after" -le $((rss_base + tolerance_kib)) ] || fail "RSS grew from $rss_base to $rss_after KiB (tolerance $tolerance_kib)"
[ "$rss_last" -le $((rss_first + flat_kib)) ] ||
  fail "RSS not flat: highest $rss_first KiB in the first third, $rss_last in the last (tolerance $flat_kib)"
[ "$fds_last" -le $((fds_first + fds_flat)) ] ||
  fail "descriptors not flat: at most $fds_first in the first third, $fds_last in the last (tolerance $fds_flat)"
ok=1
echo "soak: passed (${seconds}s churn, $k broker events recovered, no sanitizer reports, exit 0," \
  "descriptors back to $fds_base, RSS +$((rss_after - rss_base)) KiB, flat within $flat_kib KiB)"
