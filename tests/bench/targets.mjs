// The bridge's targets from issue 6, judged on one run's records. A target whose figures
// were not measured (scenario skipped, failed, peer missing) says so instead of a verdict.
const ok = (r) => r && !r.error && !r.skipped;
const fmt = (v, digits = 2) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : Number(v).toFixed(digits));

function verdict(measured, pass) {
  if (measured === null) return { measured: "not measured", verdict: "—" };
  return { measured, verdict: pass ? "met" : "NOT met" };
}

export function judgeTargets(s, latencyRate) {
  const ingest = (system) => (s.ingest ?? []).find((r) => r.system === system && ok(r));
  const latency = (system) => (s.latency ?? []).find((r) => r.system === system && r.offered_rate === latencyRate && ok(r));
  const bridge = ingest("bridge");
  const base = ingest("mosquitto");
  const nodeRed = ingest("node-red");
  const mqttWs = ingest("mosquitto-ws");
  const lBridge = latency("bridge");
  const lWs = latency("mosquitto-ws");
  const fan = (s.fanout ?? []).filter(ok).sort((a, b) => b.clients - a.clients)[0];
  const conn = (s.connections ?? []).filter(ok).sort((a, b) => b.clients - a.clients)[0];
  const t = [];
  const add = (target, [measured, pass]) => t.push({ target, ...verdict(measured, pass) });

  add("ingest ≥ 90 % of mosquitto → one MQTT subscriber",
    bridge && base ? [`${fmt((100 * bridge.throughput) / base.throughput, 1)} % (${fmt(bridge.throughput, 0)} vs ${fmt(base.throughput, 0)} /s)`,
      bridge.throughput >= 0.9 * base.throughput] : [null]);
  add("ingest: zero loss", bridge ? [`${bridge.lost} lost of ${bridge.expected}`, bridge.lost === 0] : [null]);
  add("ingest CPU/reading ≤ 1/5 of Node-RED's",
    bridge && nodeRed ? [`${fmt(bridge.sut_cpu_us_per_reading)} vs ${fmt(nodeRed.sut_cpu_us_per_reading)} µs (limit ${fmt(nodeRed.sut_cpu_us_per_reading / 5)})`,
      bridge.sut_cpu_us_per_reading <= nodeRed.sut_cpu_us_per_reading / 5] : [null]);
  add("ingest CPU/reading below Mosquitto-WS's",
    bridge && mqttWs ? [`${fmt(bridge.sut_cpu_us_per_reading)} vs ${fmt(mqttWs.sut_cpu_us_per_reading)} µs`,
      bridge.sut_cpu_us_per_reading < mqttWs.sut_cpu_us_per_reading] : [null]);
  add(`latency at ${latencyRate}/s: p99 ≤ 5 ms`,
    lBridge ? [`p99 ${fmt(lBridge.latency_us.p99 / 1000, 3)} ms`, lBridge.latency_us.p99 <= 5000] : [null]);
  add(`latency at ${latencyRate}/s: p99 below Mosquitto-WS's`,
    lBridge && lWs ? [`${fmt(lBridge.latency_us.p99 / 1000, 3)} vs ${fmt(lWs.latency_us.p99 / 1000, 3)} ms`, lBridge.latency_us.p99 < lWs.latency_us.p99] : [null]);
  add("fan-out ≥ 500 000 frames/s",
    fan ? [`${fmt(fan.frames_per_second, 0)} frames/s (${fan.clients} clients)`, fan.frames_per_second >= 500000] : [null]);
  add("fan-out CPU per delivered frame ≤ 2 µs",
    fan ? [`${fmt(fan.sut_cpu_us_per_frame, 3)} µs (${fan.clients} clients)`, fan.sut_cpu_us_per_frame <= 2] : [null]);
  const big = (s.connections ?? []).find((r) => r.clients >= 50000);
  if (conn && conn.clients >= 50000) {
    add("50 000 clients at ≤ 10 KiB bridge RSS each", [`${fmt(conn.rss_per_connection_kib)} KiB (${conn.receiver_connected} of ${conn.clients} connected)`,
      conn.rss_per_connection_kib <= 10 && conn.receiver_connected === conn.clients]);
  } else {
    const why = big?.skipped ?? big?.error ?? "not run";
    const smaller = conn ? `; at ${conn.clients} clients: ${fmt(conn.rss_per_connection_kib)} KiB each, ${conn.receiver_connected} connected` : "";
    t.push({ target: "50 000 clients at ≤ 10 KiB bridge RSS each", measured: `50 000 not measured (${why})${smaller}`, verdict: "—" });
  }
  return t;
}
