// Node-RED settings for the benchmark peer (scripts/bench.sh, tests/bench/run.mjs).
// Loopback only, no editor and no admin API: just the runtime running flows.json, whose
// `websocket out` listener lives under httpNodeRoot on the same HTTP server.
// Environment (set by run.mjs):
//   BENCH_NODE_RED_PORT     HTTP/WebSocket port (required)
//   BENCH_NODE_RED_USERDIR  a temporary folder for Node-RED's own files (required), so nothing
//                           is written into the repository
//   BENCH_MQTT_HOST, BENCH_MQTT_PORT   the broker, substituted into flows.json as ${...}
const path = require("path");

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`settings.js: ${name} is not set (run through tests/bench/run.mjs)`);
  }
  return value;
}

module.exports = {
  uiHost: "127.0.0.1",
  uiPort: Number(required("BENCH_NODE_RED_PORT")),
  userDir: required("BENCH_NODE_RED_USERDIR"),
  // Read from the repository; never written, since nothing can deploy (no admin API).
  flowFile: path.join(__dirname, "flows.json"),
  // The flow has no credentials; false stores none encrypted and never asks for a key.
  credentialSecret: false,
  httpAdminRoot: false,
  httpNodeRoot: "/",
  disableEditor: true,
  diagnostics: { enabled: false, ui: false },
  runtimeState: { enabled: false, ui: false },
  telemetry: { enabled: false, updateNotification: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
  functionExternalModules: false,
  mqttReconnectTime: 1000,
  logging: {
    console: { level: "info", metrics: false, audit: false },
  },
};
