// 6. History (issue 18): what the time-tiered history costs and how fast it answers.
//   a. ingest CPU per reading and bytes written per reading, tiers on and off (--history-budget 0),
//      alternated in the same run: the bridge's whole-life CPU (start, flow, the final flush),
//      publisher at full speed, no subscribers;
//   b. a database filled by sb-bench-history (the real store, sensor-sim's signal model, times
//      jittered by up to 5 ms as a device stamps them): 50
//      sensors at 1 Hz over the raw retention, one more over 30 days; then series requests timed
//      from request to last byte over loopback (24 h and 30 d of one sensor as 1 000 buckets, a
//      24 h CSV export of the 50), and the bytes on disk per raw point;
//   c. a flood of 1 000 sensors at 10 Hz against a small --history-budget, the database's pages in
//      use (/api/stats store.dbBytes) and its files' size sampled every second.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { reapedChildrenCpuUs, sleep, waitUntil } from "./proc.mjs";
import { round } from "./stats.mjs";
import { startPublisher, startSystem } from "./systems.mjs";

function writeBytes(pid) {
  const m = fs.readFileSync(`/proc/${pid}/io`, "utf8").match(/^write_bytes:\s+(\d+)/m);
  return m ? Number(m[1]) : null;
}

function quantile(sorted, q) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null;
}

async function ingestOnce(run, tiers, count) {
  const label = run.label(`history-ingest-${tiers ? "tiers" : "none"}`);
  run.progress(`${label}: ${count} readings at max/s, tiers ${tiers ? "on" : "off"}`);
  const extraArgs = tiers ? [] : ["--history-budget", "0"];
  const system = await startSystem(run, "bridge", label, { extraArgs });
  try {
    const pub = await startPublisher(run, system, label, { count, rate: 0 }).result(count / 5 + 60000);
    await waitUntil("the bridge to store every reading", async () => {
      const st = (await system.stats()).store;
      return st.historyWritten + st.historyDropped >= pub.sent;
    }, 120000, 200);
    const written = writeBytes(system.sut.pid);
    const reaped = reapedChildrenCpuUs();
    await system.front.stop(10000);  // SIGTERM: the final flush is part of the cost
    const cpu = reapedChildrenCpuUs() - reaped;
    return { tiers, sent: pub.sent, cpu_us_per_reading: round(cpu / pub.sent, 2), written_bytes_per_reading: written === null ? null : round(written / pub.sent, 1) };
  } finally {
    await system.stop();
  }
}

function fill(run, db, args) {
  const label = run.label("history-fill");
  run.progress(`${label}: sb-bench-history ${args.join(" ")}`);
  return run.spawn(label, run.tool("sb-bench-history"), ["--db", db, ...args]).result(1800000);
}

async function timed(base, target, times) {
  const ms = [];
  let bytes = 0, head = null;
  for (let i = 0; i < times + 1; i++) {
    const t0 = performance.now();
    const res = await fetch(base + target);
    const body = Buffer.from(await res.arrayBuffer());
    const t1 = performance.now();
    if (res.status !== 200) throw new Error(`${target}: HTTP ${res.status} ${body.toString().slice(0, 200)}`);
    if (i === 0) {  // a warm-up, not counted: the first read of the pages from disk
      bytes = body.length;
      const text = body.toString();
      head = text.startsWith("{") ? (({ resolution, tier, points }) => ({ resolution, tier, points: points.length }))(JSON.parse(text)) : { rows: text.split("\r\n").length - 2 };
      continue;
    }
    ms.push(t1 - t0);
  }
  ms.sort((a, b) => a - b);
  return { target, times, bytes, ...head, median_ms: round(quantile(ms, 0.5), 1), p95_ms: round(quantile(ms, 0.95), 1), max_ms: round(ms[ms.length - 1], 1) };
}

async function queries(run, p) {
  const db = path.join(run.tmpDir, "history.db");
  const now = Date.now();
  const many = await fill(run, db, ["--sensors", "50", "--hours", String(p.rawHours), "--hz", "1", "--jitter-ms", "5", "--prefix", "s.", "--now", String(now)]);
  const long = await fill(run, db, ["--sensors", "1", "--hours", String(p.longDays * 24), "--hz", "1", "--jitter-ms", "5", "--prefix", "long.", "--now", String(now)]);
  const label = run.label("history-queries");
  run.progress(`${label}: series requests against the filled database`);
  const system = await startSystem(run, "bridge", label, { dbPath: db });
  try {
    const one = "/api/sensors/long.temp-1/series";
    const rows = [
      await timed(system.base, `${one}?from=-24h&to=now&maxPoints=1000`, p.times),
      await timed(system.base, `${one}?from=-${p.longDays}d&to=now&maxPoints=1000`, p.times),
      await timed(system.base, `${one}?from=-1h&to=now&maxPoints=10000`, p.times),
      await timed(system.base, `/api/series?prefix=s.&from=-24h&to=now&format=csv`, Math.max(3, p.times / 4)),
      await timed(system.base, `/api/series?prefix=s.&from=-24h&to=now&maxPoints=10000&format=csv`, 3),
    ];
    return { fill: many, fill_long: long, rows };
  } finally {
    await system.stop();
  }
}

async function flood(run, p) {
  const label = run.label("history-flood");
  const rate = run.sensors * 10;
  const count = rate * p.floodSeconds;
  run.progress(`${label}: ${run.sensors} sensors at 10 Hz for ${p.floodSeconds} s, --history-budget ${p.budget}`);
  const db = path.join(run.tmpDir, `${label}.db`);
  const system = await startSystem(run, "bridge", label, {
    dbPath: db,
    extraArgs: ["--history-budget", p.budget, "--history-depth", String(p.depth)],
  });
  try {
    const budget = Number(p.budget.replace(/M$/, "")) * 1048576;
    const publisher = startPublisher(run, system, label, { count, rate });
    let maxUsed = 0, maxFile = 0, samples = 0, over = 0;
    const fileBytes = () => ["", "-wal"].reduce((sum, s) => sum + (fs.existsSync(db + s) ? fs.statSync(db + s).size : 0), 0);
    let done = false;
    const finished = publisher.result(p.floodSeconds * 2000 + 60000).finally(() => { done = true; });
    while (!done) {
      await sleep(1000);
      const st = (await system.stats()).store;
      maxUsed = Math.max(maxUsed, st.dbBytes);
      maxFile = Math.max(maxFile, fileBytes());
      samples++;
      if (st.dbBytes > budget) over++;
    }
    const pub = await finished;
    await sleep(2000);
    const st = (await system.stats()).store;
    return {
      sent: pub.sent, seconds: p.floodSeconds, budget_bytes: budget, samples, samples_over_budget: over,
      max_db_bytes: maxUsed, final_db_bytes: st.dbBytes, max_file_bytes: maxFile,
      evictions: st.tierEvictions, raw_points_held: st.tierPoints, dropped: st.tierDropped,
    };
  } finally {
    await system.stop();
  }
}

// BENCH_HISTORY_PARTS (environment): a comma-separated subset of ingest, queries, flood.
export async function history(run, p) {
  const parts = new Set((process.env.BENCH_HISTORY_PARTS || "ingest,queries,flood").split(","));
  const out = { ingest: [] };
  for (let i = 0; parts.has("ingest") && i < p.repeats; i++) {
    // Off-on, then on-off (A B B A ...): neither takes the place after the other every time. A
    // run writes ~230 MB; `sync` first, so no run pays for its predecessor's writeback.
    for (const tiers of i % 2 === 0 ? [false, true] : [true, false]) {
      execFileSync("sync");
      out.ingest.push(await ingestOnce(run, tiers, p.ingestCount));
    }
  }
  const median = (tiers, key) => {
    const v = out.ingest.filter((r) => r.tiers === tiers).map((r) => r[key]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  out.cpu_ratio = round(median(true, "cpu_us_per_reading") / median(false, "cpu_us_per_reading"), 3);
  out.written_ratio = round(median(true, "written_bytes_per_reading") / median(false, "written_bytes_per_reading"), 3);
  if (parts.has("queries")) out.queries = await queries(run, p);
  if (parts.has("flood")) out.flood = await flood(run, p);
  return out;
}

export function historyTables(h) {
  const lines = [];
  lines.push("| tiers | readings | bridge CPU µs/reading (whole life) | bytes written/reading |", "|---|---|---|---|");
  for (const r of h.ingest) lines.push(`| ${r.tiers ? "on" : "off"} | ${r.sent} | ${r.cpu_us_per_reading} | ${r.written_bytes_per_reading} |`);
  lines.push("", `Medians, tiers on / off: CPU ${h.cpu_ratio}×, bytes written ${h.written_ratio}×.`, "");
  if (!h.queries) return lines.join("\n");
  const f = h.queries.fill;
  lines.push(`Filled: ${f.readings} readings (50 sensors) in ${f.seconds} s; raw tier ${f.rawBytesPerPoint} bytes a point on disk (table and indexes; blobs ${f.rawBlobBytesPerPoint}); minute tier ${f.minuteBlobBytesPerEntry} bytes a sensor-minute; ${h.queries.fill_long.readings} more readings of one sensor.`, "");
  lines.push("| request | answer | bytes | median ms | p95 ms | max ms |", "|---|---|---|---|---|---|");
  for (const r of h.queries.rows) {
    const answer = r.tier ? `${r.points} points, ${r.tier}, ${r.resolution}` : `${r.rows} CSV rows`;
    lines.push(`| \`${r.target}\` | ${answer} | ${r.bytes} | ${r.median_ms} | ${r.p95_ms} | ${r.max_ms} |`);
  }
  const fl = h.flood;
  if (!fl) return lines.join("\n");
  lines.push("", `Flood: ${fl.sent} readings in ${fl.seconds} s against a ${fl.budget_bytes} byte budget: pages in use at most ${fl.max_db_bytes} (${fl.samples_over_budget} of ${fl.samples} samples over), files at most ${fl.max_file_bytes} bytes, ${fl.evictions} evictions, ${fl.dropped} dropped.`);
  return lines.join("\n");
}
