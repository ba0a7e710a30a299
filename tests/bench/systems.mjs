// The systems under test, each started fresh on loopback for one measured run:
//   mosquitto     the broker alone, read by plain MQTT subscribers (the baseline)
//   bridge        mosquitto + sensor-bridge, read over WebSocket rooms
//   node-red      mosquitto + Node-RED (mqtt in -> websocket out), read as raw text frames
//   mosquitto-ws  mosquitto with its websockets listener, read as MQTT over WebSocket
// A system knows its process under test (`sut`), its broker, and how a receiver reaches it.
import fs from "node:fs";
import path from "node:path";
import { Child, freePort, httpGet, httpGetJson, portOpen, waitUntil } from "./proc.mjs";

export const SYSTEMS = ["mosquitto", "bridge", "node-red", "mosquitto-ws"];
export const PEERS_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), "peers");
const NODE_RED_DIR = path.join(PEERS_DIR, "node-red");
const NODE_RED_MAIN = path.join(NODE_RED_DIR, "node_modules", "node-red", "red.js");

export function nodeRedVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(NODE_RED_DIR, "node_modules", "node-red", "package.json"), "utf8"))
      .version;
  } catch {
    return null;
  }
}

async function startBroker(run, label, withWebsockets) {
  const port = await freePort();
  const wsPort = withWebsockets ? await freePort() : null;
  const template = withWebsockets ? "mosquitto-ws.conf.in" : "mosquitto.conf.in";
  const conf = fs
    .readFileSync(path.join(PEERS_DIR, "mosquitto", template), "utf8")
    .replaceAll("@MQTT_PORT@", String(port))
    .replaceAll("@WS_PORT@", String(wsPort));
  const confPath = path.join(run.tmpDir, `${label}-mosquitto.conf`);
  fs.writeFileSync(confPath, conf);
  const child = run.spawn(`${label}-mosquitto`, run.mosquitto, ["-c", confPath]);
  try {
    await waitUntil(`mosquitto on port ${port}`, () => !child.exit && portOpen(port), 10000);
    if (wsPort) await waitUntil(`mosquitto websockets on port ${wsPort}`, () => !child.exit && portOpen(wsPort), 10000);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { child, port, wsPort };
}

async function startBridge(run, label, broker, opts) {
  const dbPath = opts.dbPath ?? path.join(run.tmpDir, `${label}-bridge.db`);
  // No --client-id: a random one keeps the default clean session.
  const args = [
    "--mqtt-url", `tcp://127.0.0.1:${broker.port}`,
    "--bind", "127.0.0.1",
    "--http-port", "0",
    "--db", dbPath,
    "--max-connections", String(opts.maxConnections ?? 10000),
    "--log-level", "info",
    ...(opts.extraArgs ?? []),
  ];
  // Load scenarios open up to 10 000 clients, past what the default --max-memory allows; an
  // environment variable, because a binary from before that option (an A/B) ignores it.
  const env = { ...process.env, SENSOR_BRIDGE_MAX_MEMORY: "0" };
  const child = run.spawn(`${label}-bridge`, path.join(run.binDir, "sensor-bridge"), args, { env });
  const match = await child.waitForLine("stderr", /http listening url=http:\/\/127\.0\.0\.1:(\d+)\//, 15000);
  const httpPort = Number(match[1]);
  const base = `http://127.0.0.1:${httpPort}`;
  await waitUntil(
    "the bridge's /api/health to say mqtt connected",
    async () => !child.exit && (await httpGetJson(`${base}/api/health`)).body.mqtt === "connected",
    15000,
    100,
  );
  return {
    child,
    base,
    url: `ws://127.0.0.1:${httpPort}/ws`,
    protocol: "bridge",
    stats: async () => (await httpGetJson(`${base}/api/stats`)).body,
    metrics: async () => (await httpGet(`${base}/metrics`)).body,
  };
}

async function startNodeRed(run, label, broker) {
  if (!fs.existsSync(NODE_RED_MAIN)) {
    throw new Error(`Node-RED is not installed in ${NODE_RED_DIR} (run npm ci there, or scripts/bench.sh)`);
  }
  const port = await freePort();
  const userDir = path.join(run.tmpDir, `${label}-node-red`);
  fs.mkdirSync(userDir, { recursive: true });
  const env = {
    ...process.env,
    BENCH_NODE_RED_PORT: String(port),
    BENCH_NODE_RED_USERDIR: userDir,
    BENCH_MQTT_HOST: "127.0.0.1",
    BENCH_MQTT_PORT: String(broker.port),
  };
  const child = run.spawn(
    `${label}-node-red`,
    process.execPath,
    [NODE_RED_MAIN, "--settings", path.join(NODE_RED_DIR, "settings.js")],
    { env, cwd: userDir },
  );
  await child.waitForLine("stdout", /Connected to broker/, 30000);
  await waitUntil(`Node-RED on port ${port}`, () => !child.exit && portOpen(port), 10000);
  return { child, url: `ws://127.0.0.1:${port}/ws/readings`, protocol: "raw" };
}

// Starts `name` and returns { name, sut, broker, brokerPort, ws?: {url, protocol}, stats?, stop }.
export async function startSystem(run, name, label, opts = {}) {
  const broker = await startBroker(run, label, name === "mosquitto-ws");
  const system = { name, broker: broker.child, brokerPort: broker.port, sut: broker.child, ws: null, stats: null };
  system.stop = async () => {
    if (system.front) await system.front.stop();
    await broker.child.stop();
  };
  try {
    if (name === "bridge") {
      const bridge = await startBridge(run, label, broker, opts);
      Object.assign(system, { sut: bridge.child, front: bridge.child, stats: bridge.stats, metrics: bridge.metrics, base: bridge.base });
      system.ws = { url: bridge.url, protocol: bridge.protocol };
    } else if (name === "node-red") {
      const nodeRed = await startNodeRed(run, label, broker);
      Object.assign(system, { sut: nodeRed.child, front: nodeRed.child });
      system.ws = { url: nodeRed.url, protocol: nodeRed.protocol };
    } else if (name === "mosquitto-ws") {
      system.ws = { url: `ws://127.0.0.1:${broker.wsPort}/mqtt`, protocol: "mqtt" };
    } else if (name !== "mosquitto") {
      throw new Error(`unknown system ${name}`);
    }
  } catch (err) {
    await system.stop();
    throw err;
  }
  return system;
}

// The receivers of one run: `clients` connections subscribed per `subscribe`, expecting
// `expect` readings in total. Plain MQTT is one sb-bench-mqtt process per client.
export function startReceivers(run, system, label, { clients, subscribe, expect, timeoutMs, extra = [] }) {
  const idle = ["--idle-timeout-ms", String(run.idleTimeoutMs), "--timeout-ms", String(timeoutMs)];
  if (!system.ws) {
    if (subscribe !== "all") throw new Error("plain MQTT receivers only subscribe to everything");
    const perClient = Math.round(expect / clients);
    return Array.from({ length: clients }, (_, i) =>
      run.spawn(`${label}-sub${i}`, run.tool("sb-bench-mqtt"), [
        "sub", "--port", String(system.brokerPort), "--topic", "sensors/#", "--expect", String(perClient), ...idle,
      ]),
    );
  }
  const args = [
    "--url", system.ws.url, "--protocol", system.ws.protocol,
    "--clients", String(clients), "--subscribe", subscribe, "--sensors", String(run.sensors),
    "--expect", String(expect), ...idle, ...extra,
  ];
  return [run.spawn(`${label}-ws`, run.tool("sb-bench-ws"), args)];
}

export function startPublisher(run, system, label, { count, rate }) {
  return run.spawn(`${label}-pub`, run.tool("sb-bench-mqtt"), [
    "pub", "--port", String(system.brokerPort), "--sensors", String(run.sensors),
    "--count", String(count), "--rate", String(rate),
  ]);
}
