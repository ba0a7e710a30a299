// Flood benchmark (manual; ctest runs the shorter, asserted flood.e2e.mjs): the built page in
// Chromium with 1 000 sensors at 10 Hz each, fed by a stand-in WebSocket inside the page,
// reporting frame rate, long tasks and tile updates; with BRIDGE=1 fed through sensor-sim, a real
// mosquitto and the real bridge instead (flood_bridge.mjs), reporting also the age of the tiles on
// screen and what the bridge sent and conflated (WEB_ROOT=<dist> measures another build).
//   node tests/e2e/flood.bench.mjs [sensors] [hz] [seconds] [burst]   (PROFILE=1 adds a CPU profile summary)
// burst: readings of one sensor delivered back to back (a SenML pack of `burst` records).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFlood } from './flood.mjs';
import { runBridgeFlood } from './flood_bridge.mjs';

const [sensors = 1000, hz = 10, seconds = 6, burst = 1] = process.argv.slice(2).map(Number);
if (process.env.BRIDGE === '1') {
  const webRoot = process.env.WEB_ROOT ? { webRoot: path.resolve(process.env.WEB_ROOT) } : {};
  const { top, ...run } = await runBridgeFlood({ sensors, hz, seconds, profile: Boolean(process.env.PROFILE), ...webRoot });
  for (const line of top) console.log(line);
  for (const e of run.consoleErrors) console.error(`console error: ${e}`);
  console.log(JSON.stringify({ ...run, consoleErrors: run.consoleErrors.length }));
} else {
  const { top, consoleErrors, phases } = await runFlood({
    sensors,
    hz,
    phases: [{ burst, seconds }],
    profile: Boolean(process.env.PROFILE),
    screenshot: path.join(path.dirname(fileURLToPath(import.meta.url)), 'flood.png'),
  });
  for (const line of top) console.log(line);
  for (const e of consoleErrors) console.error(`console error: ${e}`);
  for (const p of phases) console.log(JSON.stringify(p));
}
