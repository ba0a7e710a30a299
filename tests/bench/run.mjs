#!/usr/bin/env node
// Benchmark driver of sensor-bridge (issue 6): runs the scenarios against the bridge, the
// broker alone, Node-RED and Mosquitto's WebSocket listener on loopback, one fresh broker and
// system per measured run, and writes results.json, results.md and latency.svg to
// build/bench/<UTC timestamp>/. Usually started by scripts/bench.sh; see tests/bench/README.md.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { latencyChart } from "./chart.mjs";
import { Child, installCleanup, loadavg, stopAll } from "./proc.mjs";
import { markdown } from "./report.mjs";
import { history } from "./history.mjs";
import { connections, fanout, ingest, latencySweep, peerRatios } from "./scenarios.mjs";
import { nodeRedVersion } from "./systems.mjs";
import { judgeTargets } from "./targets.mjs";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const SCENARIOS = ["ingest", "latency", "fanout", "connections", "peers", "history"];
// Not in the default set: it fills a database and floods for minutes (--only history).
const DEFAULT_SCENARIOS = SCENARIOS.filter((s) => s !== "history");
const LATENCY_RATE = 10000;

// Counts and durations; everything a run does is bounded by them and by budget_seconds.
const PARAMS = {
  quick: {
    ingest: { count: 60000, repeats: 1 },
    latency: { rates: [5000, 10000, 20000], seconds: 2, clients: 10 },
    fanout: { clientCounts: [100, 1000], seconds: 3, hz: 10 },
    connections: { clientCounts: [10000], sourceAddrs: "127.0.0.1-127.0.0.40", connectRate: 4000, liveSeconds: 2 },
    history: { repeats: 1, ingestCount: 300000, rawHours: 24, longDays: 7, times: 8, floodSeconds: 60, budget: "2M", depth: 16 },
    budget_seconds: 150,
  },
  full: {
    ingest: { count: 200000, repeats: 5 },
    latency: { rates: [2000, 5000, 10000, 20000, 40000], seconds: 8, clients: 10 },
    fanout: { clientCounts: [100, 1000], seconds: 10, hz: 10 },
    connections: { clientCounts: [10000, 50000], sourceAddrs: "127.0.0.1-127.0.0.40", connectRate: 2000, liveSeconds: 3 },
    history: { repeats: 3, ingestCount: 1000000, rawHours: 48, longDays: 30, times: 20, floodSeconds: 600, budget: "16M", depth: 64 },
    budget_seconds: 1080,
  },
};

const USAGE = `usage: node tests/bench/run.mjs [--quick] [--only ${SCENARIOS.join(",")}]
       [--bin-dir DIR] [--out-dir DIR] [--commit TEXT] [--budget-seconds N]
  --quick           smaller counts (under 3 minutes)
  --only LIST       scenarios to run (default: all but history); peers adds Node-RED and
                    Mosquitto-WS to ingest and latency; history (minutes: it fills a database
                    and floods one) runs only when named
  --bin-dir DIR     where sensor-bridge, sb-bench-mqtt and sb-bench-ws are (default build/bin)
  --out-dir DIR     results folder (default build/bench/<UTC timestamp>)
  --commit TEXT     what to call the measured code (default: git HEAD of this checkout)
  --budget-seconds  stop starting new runs after this long (default 150 quick, 1080 full)`;

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      "bin-dir": { type: "string" },
      "out-dir": { type: "string" },
      commit: { type: "string" },
      "budget-seconds": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = values.only ? values.only.split(",").map((s) => s.trim()).filter(Boolean) : DEFAULT_SCENARIOS;
  const unknown = only.filter((s) => !SCENARIOS.includes(s));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(", ")} (known: ${SCENARIOS.join(", ")})`);
  const budget = values["budget-seconds"] === undefined ? null : Number(values["budget-seconds"]);
  if (budget !== null && !(budget > 0)) throw new Error("--budget-seconds needs a positive number");
  return { quick: values.quick, only, binDir: values["bin-dir"], outDir: values["out-dir"], commit: values.commit, budget };
}

function commandOutput(cmd, args) {
  const res = spawnSync(cmd, args, { encoding: "utf8", timeout: 10000 });
  return `${res.stdout ?? ""}${res.stderr ?? ""}`.trim();
}

function machine(mosquitto) {
  const cpuinfo = fs.readFileSync("/proc/cpuinfo", "utf8");
  const memKib = Number(fs.readFileSync("/proc/meminfo", "utf8").match(/^MemTotal:\s+(\d+)/m)?.[1] ?? 0);
  return {
    nproc: os.availableParallelism(),
    cpu_model: cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? "unknown",
    mem_gib: Number((memKib / 1024 / 1024).toFixed(1)),
    kernel: os.release(),
    os: (() => {
      try {
        return fs.readFileSync("/etc/os-release", "utf8").match(/^PRETTY_NAME="?([^"\n]+)/m)?.[1] ?? "unknown";
      } catch {
        return "unknown";
      }
    })(),
    mosquitto: commandOutput(mosquitto, ["-h"]).match(/mosquitto version (\S+)/)?.[1] ?? "unknown",
    node_red: nodeRedVersion(),
    node: process.versions.node,
  };
}

function gitCommit() {
  try {
    const head = execFileSync("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["-C", ROOT, "status", "--porcelain", "--", "bridge", "CMakeLists.txt"], { encoding: "utf8" }).trim();
    return dirty ? `${head} + uncommitted changes in bridge/` : head;
  } catch {
    return "unknown";
  }
}

function findMosquitto() {
  for (const candidate of ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return "mosquitto";
}

function makeRun(opts, params, outDir) {
  const logDir = path.join(outDir, "logs");
  fs.mkdirSync(logDir, { recursive: true });
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-"));
  const started = Date.now();
  const budgetMs = (opts.budget ?? params.budget_seconds) * 1000;
  let labels = 0;
  return {
    binDir: opts.binDir,
    tmpDir,
    logDir,
    outDir,
    sensors: 1000,
    idleTimeoutMs: 3000,
    mosquitto: findMosquitto(),
    started,
    spawn: (name, cmd, args, extra = {}) => new Child(name, cmd, args, { logDir, ...extra }),
    tool: (name) => path.join(opts.binDir, name),
    label: (prefix) => `${String(++labels).padStart(3, "0")}-${prefix}`,
    progress: (msg) => process.stderr.write(`bench [${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`),
    budgetLeft: () => (Date.now() - started > budgetMs ? `time budget of ${budgetMs / 1000} s used up` : null),
  };
}

async function main() {
  const opts = parseCommandLine();
  opts.binDir = path.resolve(opts.binDir ?? process.env.BENCH_BIN_DIR ?? path.join(ROOT, "build", "bin"));
  const missing = ["sensor-bridge", "sb-bench-mqtt", "sb-bench-ws"].filter((b) => !fs.existsSync(path.join(opts.binDir, b)));
  if (missing.length) throw new Error(`missing in ${opts.binDir}: ${missing.join(", ")} (scripts/bench.sh builds them)`);
  const params = opts.quick ? PARAMS.quick : PARAMS.full;
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const outDir = path.resolve(opts.outDir ?? path.join(ROOT, "build", "bench", stamp));
  installCleanup();
  const run = makeRun(opts, params, outDir);
  const results = {
    started_at: new Date(run.started).toISOString(),
    quick: opts.quick,
    commit: opts.commit ?? process.env.BENCH_COMMIT ?? gitCommit(),
    machine: machine(run.mosquitto),
    params: { ...params, sensors: run.sensors, idle_timeout_ms: run.idleTimeoutMs, latency_rate: LATENCY_RATE },
    only: opts.only,
    loadavg_start: loadavg(),
    scenarios: {},
  };
  if (results.loadavg_start.one > 0.5) run.progress(`load average is ${results.loadavg_start.one}: other work is running, figures will be noisier`);
  const want = (s) => opts.only.includes(s);
  // The broker alone is the ingest baseline only: its receivers (one sb-bench-mqtt process per
  // subscriber) are not the same kind as the WebSocket ones the latency runs compare.
  const peers = want("peers") ? ["node-red", "mosquitto-ws"] : [];
  const ingestSystems = ["mosquitto", "bridge", ...peers];
  const latencySystems = ["bridge", ...peers];
  const s = results.scenarios;
  try {
    if (want("ingest") || want("peers")) s.ingest = await ingest(run, ingestSystems, params.ingest);
    if (want("latency") || want("peers")) s.latency = await latencySweep(run, latencySystems, params.latency);
    if (want("fanout")) s.fanout = await fanout(run, params.fanout);
    if (want("connections")) s.connections = await connections(run, params.connections);
    if (want("peers")) s.peers = peerRatios(s.ingest, s.latency, LATENCY_RATE);
    if (want("history")) s.history = await history(run, params.history);
  } finally {
    await stopAll();
    fs.rmSync(run.tmpDir, { recursive: true, force: true });
  }
  results.targets = judgeTargets(s, LATENCY_RATE);
  results.loadavg_end = loadavg();
  results.elapsed_seconds = Math.round((Date.now() - run.started) / 1000);
  fs.writeFileSync(path.join(outDir, "results.json"), JSON.stringify(results, null, 2) + "\n");
  const md = markdown(results);
  fs.writeFileSync(path.join(outDir, "results.md"), md);
  if (s.latency) {
    const title = `Latency vs load: ${params.latency.clients} subscribers, ${run.sensors} sensors (${results.commit})`;
    fs.writeFileSync(path.join(outDir, "latency.svg"), latencyChart(s.latency, { title }));
  }
  process.stdout.write(md);
  run.progress(`results in ${outDir}`);
  const failed = Object.values(s).flat().filter((r) => r && r.error);
  if (failed.length) {
    run.progress(`${failed.length} run(s) failed; their logs are in ${path.join(outDir, "logs")}`);
    process.exitCode = 1;
  }
}

main().catch(async (err) => {
  process.stderr.write(`bench: ${err.message}\n`);
  await stopAll();
  process.exit(1);
});
