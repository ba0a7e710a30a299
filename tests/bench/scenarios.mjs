// The scenarios of issue 6. Each returns plain records (see measure.mjs) for results.json.
import { MIXED_SENSORS, measureFlow } from "./measure.mjs";
import { cpuUs, loadavg, openFilesLimit, vmKib, waitUntil } from "./proc.mjs";
import { medianRun, round } from "./stats.mjs";
import { startPublisher, startSystem } from "./systems.mjs";

// 1. Ingest: the publisher as fast as it can, 1 000 sensors, one subscriber to everything.
// Repeated `repeats` times per system; the run with the median throughput is reported.
export async function ingest(run, systems, { count, repeats }) {
  const out = [];
  for (const system of systems) {
    const runs = [];
    for (let i = 0; i < repeats; i++) {
      runs.push(await measureFlow(run, { scenario: "ingest", system, count, rate: 0, clients: 1, subscribe: "all" }));
    }
    const chosen = medianRun(runs, "throughput");
    out.push({ ...chosen, repeats: runs.length, throughput_all: runs.map((r) => r.throughput ?? null) });
  }
  return out;
}

// 2. Latency vs load: `clients` subscribers to everything, the publisher paced at each rate
// for `seconds`. Systems are interleaved at each rate so background load hits all alike.
export async function latencySweep(run, systems, { rates, seconds, clients }) {
  const out = [];
  for (const rate of rates) {
    for (const system of systems) {
      const count = Math.max(run.sensors, Math.round((rate * seconds) / run.sensors) * run.sensors);
      out.push(await measureFlow(run, { scenario: "latency", system, count, rate, clients, subscribe: "all" }));
    }
  }
  return out;
}

// 3. Fan-out: 1 000 sensors at 10 Hz each to `clients` WebSocket clients with mixed rooms.
export async function fanout(run, { clientCounts, seconds, hz }) {
  const out = [];
  for (const clients of clientCounts) {
    const rate = run.sensors * hz;
    out.push(
      await measureFlow(run, {
        scenario: "fanout",
        system: "bridge",
        count: rate * seconds,
        rate,
        clients,
        subscribe: "mixed",
        systemOpts: { maxConnections: clients + 100 },
        extraWs: ["--connect-rate", "2000", "--mixed-sensors", String(MIXED_SENSORS)],
      }),
    );
  }
  return out;
}

// 4. Connections: N mostly idle clients (one sensor each, from several 127.0.0.x source
// addresses). RSS of the bridge with them connected minus RSS before, over N; then a short
// stream at 1 reading/s per sensor checks they are alive.
// A count that does not fit the open-file limit is reported skipped, and the largest count
// that fits (in thousands) is measured instead, as its own row.
export async function connections(run, { clientCounts, sourceAddrs, connectRate, liveSeconds }) {
  const out = [];
  const limit = openFilesLimit();
  const fits = (n) => !limit || limit.soft >= n + FD_MARGIN;
  const counts = [...clientCounts];
  const largest = Math.max(...counts);
  if (!fits(largest) && limit) {
    const fit = Math.floor((limit.soft - FD_MARGIN) / 1000) * 1000;
    if (fit > Math.max(0, ...counts.filter(fits))) counts.push(fit);
  }
  for (const clients of counts.sort((a, b) => a - b)) {
    if (!fits(clients)) {
      const why = limit.hard < clients + FD_MARGIN ? ` (hard limit ${limit.hard}: raising it needs CAP_SYS_RESOURCE)` : "";
      out.push({ scenario: "connections", system: "bridge", clients,
        skipped: `needs ${clients + FD_MARGIN} open files in the bridge and in the load tool; the limit is ${limit.soft}${why}` });
      continue;
    }
    out.push(await connectionRun(run, clients, { sourceAddrs, connectRate, liveSeconds }));
  }
  return out;
}

const FD_MARGIN = 1024;

async function connectionRun(run, clients, { sourceAddrs, connectRate, liveSeconds }) {
  const record = { scenario: "connections", system: "bridge", clients, subscribe: "one", source_addrs: sourceAddrs };
  const skip = run.budgetLeft();
  if (skip) return { ...record, skipped: skip };
  const label = run.label(`connections-${clients}`);
  run.progress(`${label}: ${clients} idle clients`);
  let system;
  try {
    system = await startSystem(run, "bridge", label, { maxConnections: clients + 100 });
    const pid = system.sut.pid;
    // Every sensor known before the baseline, so the difference is the connections alone.
    const warm = await startPublisher(run, system, `${label}-warm`, { count: run.sensors, rate: 0 }).result(30000);
    await waitUntil("the warm-up readings to be ingested", async () => (await system.stats()).ingest.accepted >= warm.sent, 10000);
    record.rss_before_kib = vmKib(pid, "VmRSS");
    const liveCount = run.sensors * liveSeconds;
    const expect = Math.floor(liveCount / run.sensors) * clients;
    const connectMs = Math.ceil((clients / connectRate) * 1000);
    const timeoutMs = connectMs * 3 + liveSeconds * 1000 + 60000;
    const cpu0 = cpuUs(pid);
    const started = Date.now();
    const receiver = run.spawn(`${label}-ws`, run.tool("sb-bench-ws"), [
      "--url", system.ws.url, "--protocol", "bridge", "--clients", String(clients), "--subscribe", "one",
      "--sensors", String(run.sensors), "--source-addrs", sourceAddrs, "--connect-rate", String(connectRate),
      "--expect", String(expect), "--idle-timeout-ms", String(run.idleTimeoutMs), "--timeout-ms", String(timeoutMs),
    ]);
    await receiver.waitForLine("stdout", /^ready$/, connectMs * 3 + 60000);
    record.connect_seconds = round((Date.now() - started) / 1000, 2);
    record.connect_cpu_us_per_client = round((cpuUs(pid) - cpu0) / clients, 1);
    // The tool is ready once every client is subscribed; the bridge should count them all.
    await waitUntil("the bridge to count every connection", async () => (await system.stats()).ws.connections >= clients, 10000)
      .catch(() => {});
    record.rss_with_clients_kib = vmKib(pid, "VmRSS");
    record.bridge_connections = (await system.stats()).ws.connections;
    record.rss_per_connection_kib = round((record.rss_with_clients_kib - record.rss_before_kib) / clients, 2);
    record.loadavg_before = loadavg();
    const pub = await startPublisher(run, system, label, { count: liveCount, rate: run.sensors }).result(timeoutMs);
    const res = await receiver.result(timeoutMs);
    record.sut_peak_rss_kib = vmKib(pid, "VmHWM");
    Object.assign(record, {
      sent: pub.sent,
      expected: expect,
      received: res.readings,
      lost: expect - res.readings,
      latency_us: res.latency_us,
      receiver_connected: res.connected,
      receiver_failed: res.failed,
      receiver_closed_by_server: res.closed_by_server,
      receiver_errors: res.errors,
      receiver_rss_kib: res.rss_kib,
    });
  } catch (err) {
    record.error = err.message;
    run.progress(`${label}: FAILED ${err.message}`);
  } finally {
    if (system) await system.stop();
  }
  return record;
}

// 5. Peers: the bridge's figures over each peer's, from the ingest and the 10 000/s latency runs.
export function peerRatios(ingestRuns, latencyRuns, latencyRate) {
  const pick = (runs, system) => runs.find((r) => r.system === system && !r.error && !r.skipped);
  const rows = [];
  const figures = [
    ["throughput (readings/s)", (r) => r.throughput, "higher"],
    ["lost readings", (r) => r.lost, "lower"],
    ["SUT CPU µs/reading", (r) => r.sut_cpu_us_per_reading, "lower"],
    ["SUT + broker CPU µs/reading", (r) => r.total_cpu_us_per_reading, "lower"],
    ["SUT peak RSS KiB", (r) => r.sut_peak_rss_kib, "lower"],
    ["p50 latency µs", (r) => r.latency_us?.p50, "lower"],
    ["p99 latency µs", (r) => r.latency_us?.p99, "lower"],
    ["p99.9 latency µs", (r) => r.latency_us?.p999, "lower"],
  ];
  for (const [scenario, runs] of [["ingest", ingestRuns], [`latency ${latencyRate}/s`, latencyRuns.filter((r) => r.offered_rate === latencyRate)]]) {
    const bridge = pick(runs, "bridge");
    for (const [figure, get, better] of figures) {
      const row = { scenario, figure, better, bridge: bridge ? get(bridge) ?? null : null };
      for (const peer of ["node-red", "mosquitto-ws", "mosquitto"]) {
        const run = pick(runs, peer);
        const value = run ? get(run) ?? null : null;
        row[peer] = value;
        row[`${peer}_ratio`] = row.bridge !== null && value ? round(row.bridge / value, 3) : null;
      }
      rows.push(row);
    }
  }
  return rows;
}
