// results.json → results.md: one markdown table per scenario, the peers' ratios and the targets.
import { historyTables } from "./history.mjs";

const dash = "—";

function int(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return dash;
  return Math.round(v).toLocaleString("en-US").replace(/,/g, " ");
}

function num(v, digits = 2) {
  return v === null || v === undefined || !Number.isFinite(v) ? dash : v.toFixed(digits);
}

// µs → "0.31 ms" (3 significant digits below 10 ms).
function ms(us) {
  if (us === null || us === undefined || !Number.isFinite(us)) return dash;
  const v = us / 1000;
  return `${v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3)} ms`;
}

const mib = (kib) => (kib === null || kib === undefined ? dash : `${(kib / 1024).toFixed(1)} MiB`);

function table(header, rows) {
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}

function problem(r) {
  if (r.skipped) return `skipped: ${r.skipped}`;
  if (r.error) return `error: ${r.error}`;
  return null;
}

function flowRow(r, first) {
  const p = problem(r);
  if (p) return [...first, p, ...Array(FLOW_HEADER.length - 1).fill("")];
  const lat = r.latency_us ?? {};
  return [
    ...first,
    `${int(r.received)} / ${int(r.expected)}`,
    int(r.lost),
    int(r.throughput),
    ms(lat.p50),
    ms(lat.p99),
    ms(lat.p999),
    num(r.sut_cpu_us_per_reading),
    num(r.broker_cpu_us_per_reading),
    num(r.total_cpu_us_per_reading),
    mib(r.sut_peak_rss_kib),
    r.bridge_stats ? int(r.bridge_stats.ws_conflated) : dash,
    num(r.loadavg_before?.one),
  ];
}

const FLOW_HEADER = [
  "received / expected", "lost", "throughput /s", "p50", "p99", "p99.9",
  "SUT CPU µs/reading", "broker CPU µs/reading", "SUT + broker µs/reading", "SUT peak RSS", "conflated (bridge)", "load avg",
];

function ingestTable(runs) {
  return table(["system", ...FLOW_HEADER, "runs (readings/s)"], runs.map((r) => [
    ...flowRow(r, [r.system]),
    (r.throughput_all ?? []).map((t) => int(t)).join(", "),
  ]));
}

function latencyTable(runs) {
  return table(["offered /s", "system", ...FLOW_HEADER], runs.map((r) => flowRow(r, [int(r.offered_rate), r.system])));
}

function fanoutTable(runs) {
  return table(
    ["clients", "readings sent", "frames received / expected", "lost", "frames/s", "CPU µs/frame", "receiver CPU µs/frame", "p50", "p99", "p99.9", "SUT peak RSS", "conflated", "load avg"],
    runs.map((r) => {
      const p = problem(r);
      if (p) return [int(r.clients), p, "", "", "", "", "", "", "", "", "", "", ""];
      return [
        int(r.clients), int(r.sent), `${int(r.received)} / ${int(r.expected)}`, int(r.lost), int(r.frames_per_second),
        num(r.sut_cpu_us_per_frame, 3), num(r.receiver_cpu_us_per_frame, 3), ms(r.latency_us?.p50), ms(r.latency_us?.p99), ms(r.latency_us?.p999),
        mib(r.sut_peak_rss_kib), int(r.bridge_stats?.ws_conflated), num(r.loadavg_before?.one),
      ];
    }),
  );
}

function connectionsTable(runs) {
  return table(
    ["clients", "connected", "failed", "connect time", "RSS before", "RSS with clients", "KiB per connection", "frames received / expected", "p99", "load avg"],
    runs.map((r) => {
      const p = problem(r);
      if (p) return [int(r.clients), p, "", "", "", "", "", "", "", ""];
      return [
        int(r.clients), int(r.receiver_connected), int(r.receiver_failed), `${num(r.connect_seconds, 1)} s`,
        mib(r.rss_before_kib), mib(r.rss_with_clients_kib), num(r.rss_per_connection_kib),
        `${int(r.received)} / ${int(r.expected)}`, ms(r.latency_us?.p99), num(r.loadavg_before?.one),
      ];
    }),
  );
}

function peersTable(rows) {
  const f = (v) => (v === null ? dash : Math.abs(v) >= 100 ? int(v) : num(v));
  return table(
    ["scenario", "figure", "bridge", "Node-RED", "bridge / Node-RED", "Mosquitto-WS", "bridge / Mosquitto-WS", "mosquitto (MQTT)", "bridge / mosquitto"],
    rows.map((r) => [
      r.scenario, `${r.figure} (${r.better} is better)`, f(r.bridge),
      f(r["node-red"]), num(r["node-red_ratio"], 3), f(r["mosquitto-ws"]), num(r["mosquitto-ws_ratio"], 3),
      f(r.mosquitto), num(r.mosquitto_ratio, 3),
    ]),
  );
}

function targetsTable(targets) {
  return table(["target", "measured", "verdict"], targets.map((t) => [t.target, t.measured, t.verdict]));
}

export function markdown(results) {
  const m = results.machine;
  const parts = [
    `# sensor-bridge benchmark, ${results.started_at}${results.quick ? " (quick)" : ""}`,
    "",
    `Commit \`${results.commit}\`; ${m.nproc} × ${m.cpu_model}, ${m.mem_gib} GiB RAM, ${m.os ?? "Linux"}, kernel ${m.kernel}; ` +
      `mosquitto ${m.mosquitto}, Node-RED ${m.node_red ?? dash}, Node ${m.node}. ` +
      `Load average ${num(results.loadavg_start.one)} at the start, ${num(results.loadavg_end?.one)} at the end; ` +
      `${num(results.elapsed_seconds, 0)} s in all.`,
  ];
  const s = results.scenarios;
  if (s.ingest) parts.push("", "## 1. Ingest (publisher at full speed, 1 000 sensors, one subscriber)", "", ingestTable(s.ingest));
  if (s.latency) {
    parts.push("", `## 2. Latency (${results.params.latency.clients} subscribers to everything, paced publisher)`, "", latencyTable(s.latency));
    parts.push("", "Latency vs load: `latency.svg`.");
  }
  if (s.fanout) parts.push("", "## 3. Fan-out (1 000 sensors at 10 Hz, mixed rooms)", "", fanoutTable(s.fanout));
  if (s.connections) parts.push("", "## 4. Connections (mostly idle clients, one sensor each)", "", connectionsTable(s.connections));
  if (s.peers) parts.push("", "## 5. Peers (bridge / peer for each figure)", "", peersTable(s.peers));
  if (s.history) parts.push("", "## 6. History (time-tiered storage and series queries)", "", historyTables(s.history));
  if (results.targets?.length) parts.push("", "## Targets", "", targetsTable(results.targets));
  return parts.join("\n") + "\n";
}
