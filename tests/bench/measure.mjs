// One measured run: a fresh broker and system under test, receivers connected and ready,
// one publisher, and what /proc says about the processes before and after the stream.
import fs from "node:fs";
import path from "node:path";
import { cpuUs, loadavg, reapedChildrenCpuUs, sleep, vmKib } from "./proc.mjs";
import { mergeReceivers, round } from "./stats.mjs";
import { startPublisher, startReceivers, startSystem } from "./systems.mjs";

// How many frames the receivers should get for `sent` readings, dealt round-robin over
// `sensors` by the publisher, under sb-bench-ws's subscription plan: `all` everything; `one`
// client i follows sensor i mod sensors; `mixed` client i follows everything when i mod 10 is
// 0, else MIXED_SENSORS single sensors (distinct, so each gets one reading per round).
export const MIXED_SENSORS = 10;

export function expectedFrames(subscribe, clients, sensors, sent) {
  const rounds = Math.floor(sent / sensors);
  const rest = sent % sensors;
  if (subscribe === "all") return sent * clients;
  if (subscribe === "one") {
    let frames = rounds * clients;
    for (let s = 0; s < rest; s++) frames += Math.floor(clients / sensors) + (s < clients % sensors ? 1 : 0);
    return frames;
  }
  if (subscribe === "mixed" && rest === 0) {
    const watchAll = Math.ceil(clients / 10);
    return rounds * (watchAll * sensors + (clients - watchAll) * Math.min(MIXED_SENSORS, sensors));
  }
  return null;
}

function cpuSample(system) {
  return { sut: cpuUs(system.sut.pid), broker: cpuUs(system.broker.pid) };
}

// The CPU a system spends on a stream includes what it does after the last reading was
// delivered (the bridge's last SQLite commit, flushed up to 500 ms later and run only on an
// idle core; a garbage collection): wait until neither process has used CPU for 1 s (/proc
// counts in 10 ms ticks), at most 8 s.
async function settledCpuSample(system) {
  const started = Date.now();
  let last = cpuSample(system);
  let quietSince = Date.now();
  while (Date.now() - started < 8000) {
    await sleep(100);
    const now = cpuSample(system);
    if (now.sut !== last.sut || now.broker !== last.broker) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince >= 1000) break;
  }
  return last;
}

// spec: { scenario, system, count, rate, clients, subscribe, extraWs, systemOpts, expectFrames? }
export async function measureFlow(run, spec) {
  const record = {
    scenario: spec.scenario,
    system: spec.system,
    offered_rate: spec.rate,
    count: spec.count,
    clients: spec.clients,
    subscribe: spec.subscribe,
  };
  const skip = run.budgetLeft();
  if (skip) return { ...record, skipped: skip };
  const label = run.label(`${spec.scenario}-${spec.system}`);
  run.progress(`${label}: ${spec.count} readings at ${spec.rate || "max"}/s, ${spec.clients} client(s) ${spec.subscribe}`);
  let system;
  try {
    system = await startSystem(run, spec.system, label, spec.systemOpts);
    const expect = spec.expectFrames ?? expectedFrames(spec.subscribe, spec.clients, run.sensors, spec.count);
    const pubSeconds = spec.rate > 0 ? spec.count / spec.rate : spec.count / 10000;
    const timeoutMs = Math.round(pubSeconds * 1000 * 2) + 30000;
    const receivers = startReceivers(run, system, label, {
      clients: spec.clients,
      subscribe: spec.subscribe,
      expect: expect ?? 0,
      timeoutMs,
      extra: spec.extraWs ?? [],
    });
    await Promise.all(receivers.map((r) => r.waitForLine("stdout", /^ready$/, 60000)));
    record.loadavg_before = loadavg();
    const before = cpuSample(system);
    const publisher = startPublisher(run, system, label, { count: spec.count, rate: spec.rate });
    const pub = await publisher.result(timeoutMs);
    const reaped = reapedChildrenCpuUs();
    const received = mergeReceivers(await Promise.all(receivers.map((r) => r.result(timeoutMs + 10000))));
    const after = await settledCpuSample(system);
    // The receivers' whole life (connecting included): shows when they, not the system, are the limit.
    const receiverCpu = reapedChildrenCpuUs() - reaped;
    record.loadavg_after = loadavg();
    record.sut_peak_rss_kib = vmKib(system.sut.pid, "VmHWM");
    record.broker_peak_rss_kib = vmKib(system.broker.pid, "VmHWM");
    if (system.stats) record.bridge_stats = summarizeBridgeStats(await system.stats());
    // The bridge's own view (delivery latency histogram and the rest) next to the logs.
    if (system.metrics) fs.writeFileSync(path.join(run.logDir, `${label}-metrics.txt`), await system.metrics());
    // Expected from what was really sent: a paced publisher that falls behind drops its backlog.
    const expected = spec.expectFrames ?? expectedFrames(spec.subscribe, spec.clients, run.sensors, pub.sent);
    Object.assign(record, figures(pub, received, expected, before, after, spec.clients));
    record.pub_behind = pub.behind ?? null;
    record.receiver_cpu_us_per_frame = received.readings > 0 ? round(receiverCpu / received.readings, 3) : null;
    // sb-bench-ws says how many sensors its clients watch in all: the expectation, checked.
    if (received.sensor_subscriptions > 0 && pub.sent % run.sensors === 0) {
      const told = (pub.sent / run.sensors) * received.sensor_subscriptions;
      if (told !== record.expected) {
        record.expected_note = `driver expected ${record.expected}, the tool's subscriptions give ${told}: using the tool's`;
        record.expected = told;
        record.lost = told - record.received;
      }
    }
    // Mosquitto and Mosquitto-WS: the broker is the system, its CPU counts once.
    record.total_cpu_us_per_reading = system.sut === system.broker
      ? record.sut_cpu_us_per_reading
      : round(record.sut_cpu_us_per_reading + record.broker_cpu_us_per_reading, 2);
  } catch (err) {
    record.error = err.message;
    run.progress(`${label}: FAILED ${err.message}`);
  } finally {
    if (system) await system.stop();
  }
  return record;
}

// throughput: readings a second as one subscriber sees them (frames over subscribers, first
// to last receive); frames_per_second: every frame delivered, all subscribers together.
function figures(pub, received, expect, before, after, clients) {
  const sutCpu = after.sut - before.sut;
  const brokerCpu = after.broker - before.broker;
  const frames = received.readings;
  const out = {
    sent: pub.sent,
    pub_rate: round(pub.rate, 0),
    pub_seconds: round(pub.seconds, 3),
    expected: expect,
    received: frames,
    stale: received.stale,
    lost: expect === null ? null : expect - frames,
    throughput: received.seconds > 0 ? round(frames / clients / received.seconds, 0) : null,
    recv_seconds: round(received.seconds, 3),
    latency_us: received.latency_us,
    histogram: received.histogram,
    sut_cpu_ms: round(sutCpu / 1000, 1),
    sut_cpu_us_per_reading: pub.sent > 0 ? round(sutCpu / pub.sent, 2) : null,
    sut_cpu_us_per_frame: frames > 0 ? round(sutCpu / frames, 3) : null,
    broker_cpu_us_per_reading: pub.sent > 0 ? round(brokerCpu / pub.sent, 2) : null,
    frames_per_second: received.seconds > 0 ? round(frames / received.seconds, 0) : null,
  };
  for (const key of ["connected", "failed", "closed_by_server", "errors", "rss_kib"]) {
    if (received[key] !== undefined) out[`receiver_${key}`] = received[key];
  }
  return out;
}

function summarizeBridgeStats(stats) {
  return {
    ingest_received: stats?.ingest?.received,
    ingest_accepted: stats?.ingest?.accepted,
    ingest_rejected: stats?.ingest?.rejected,
    rejected_by_reason: stats?.ingest?.rejectedByReason,
    ws_sent: stats?.ws?.sent,
    ws_dropped: stats?.ws?.dropped,
    ws_conflated: stats?.ws?.conflated,
    store_history_dropped: stats?.store?.historyDropped,
  };
}
