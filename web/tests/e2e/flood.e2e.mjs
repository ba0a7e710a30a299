// The page stays responsive under a flood (ctest: dashboard_e2e_flood, label e2e, run alone).
// 1 000 sensors at 10 Hz each for 3 s, one reading at a time, then 3 s of the same rate in
// packs of 10 readings per sensor (a device sending a SenML pack of its last second). The
// bounds are generous, for a loaded 2-core machine; what is strict is the per-frame batching:
// no tile is updated twice within one animation frame, which fails at once when readings are
// rendered as they arrive (the packs give a tile 10 readings within a frame).
// Then the same flood through the real path (sensor-sim → mosquitto → bridge → page): the page
// asks for a few readings a second per tile (maxRateHz), so once it has caught up the tiles on
// screen stay within 2 s of live and the bridge has no reason to conflate; at full rate the
// page fell 10 s and more behind and the bridge conflated thousands of readings a second.
// The bounds through the bridge are set by that failure, not by this machine's speed: the page
// steps down to 1 Hz by design when its frames fall behind (a loaded 2-core CI machine runs the
// simulator, mosquitto, the bridge and Chromium at once), so a tile's last reading is then up to
// 1 s old plus the delay of a starved frame; CI saw p99 2.2 s and 11 frames/s there. The figures
// on an idle machine (within 2 s of live, 25+ frames/s) are the bench's to report
// (`BRIDGE=1 node tests/e2e/flood.bench.mjs`), not a test's to time.
//   CHROMIUM_BIN  the browser (default /usr/bin/chromium)
//   SENSOR_BRIDGE_BIN, SENSOR_SIM_BIN  (default ../build/bin/sensor-bridge and sensor-sim, from web/)
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runFlood } from './flood.mjs';
import { bridgeBin, bridgeFloodAvailable, runBridgeFlood, simBin } from './flood_bridge.mjs';

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const SENSORS = 1000;
const HZ = 10;
const MIN_FPS = 15; // headless Chromium, software raster: ~25-55 on a busy 2-core machine
const MAX_LONG_TASK_MS = 500; // a frozen page shows as long tasks of seconds

describe('dashboard under a flood of 1 000 sensors at 10 Hz', { timeout: 90_000 }, () => {
  let run;

  before(async () => {
    assert.ok(existsSync(path.join(webRoot, 'index.html')), `no ${webRoot}/index.html: run "npm run build" first`);
    run = await runFlood({
      sensors: SENSORS,
      hz: HZ,
      phases: [
        { burst: 1, seconds: 3 },
        { burst: 10, seconds: 3 },
      ],
    });
    for (const p of run.phases) console.log(`flood: ${JSON.stringify(p)}`);
  });

  for (const [i, name] of [
    [0, 'one reading at a time'],
    [1, 'packs of 10 readings per sensor'],
  ]) {
    test(`${name}: frames keep coming, no long task, the visible tiles update, once per frame at most`, () => {
      const p = run.phases[i];
      assert.ok(p.readingsPerSecond >= 0.8 * SENSORS * HZ, `the flood ran at ${p.readingsPerSecond} readings/s`);
      assert.ok(p.fps >= MIN_FPS, `${p.fps} frames/s (at least ${MIN_FPS})`);
      assert.ok(p.longestTaskMs <= MAX_LONG_TASK_MS, `a long task of ${p.longestTaskMs} ms (at most ${MAX_LONG_TASK_MS})`);
      assert.ok(p.visibleTiles >= 10, `only ${p.visibleTiles} tiles on screen`);
      assert.ok(p.updatedTiles >= p.visibleTiles, `${p.updatedTiles} tiles updated, ${p.visibleTiles} on screen`);
      assert.equal(p.maxUpdatesPerTileFrame, 1, 'a tile was updated more than once within one animation frame');
    });
  }

  test('no console errors', () => {
    assert.deepEqual(run.consoleErrors, []);
  });
});

describe('dashboard under 1 000 sensors at 10 Hz through the real bridge', { timeout: 120_000 }, () => {
  const SECONDS = 10;
  // What the page asks for: at most 2 readings a second per sensor (rate_control.ts), at least 1.
  const MAX_HZ = 2;
  const MIN_HZ = 1;
  const LIVE_MS = 4_000; // four updates at the lowest rate; the failure it guards against was 10 s+
  const MIN_BRIDGE_FPS = 5; // a frozen page draws 0-2; long tasks are checked apart
  let run;

  before(async () => {
    assert.ok(bridgeFloodAvailable(), `no bridge at ${bridgeBin} or no sensor-sim at ${simBin}: build them or set SENSOR_BRIDGE_BIN, SENSOR_SIM_BIN`);
    run = await runBridgeFlood({ sensors: SENSORS, hz: HZ, seconds: SECONDS, liveMs: LIVE_MS });
    const { top: _profile, ...figures } = run;
    console.log(`flood through the bridge: ${JSON.stringify(figures)}`);
  });

  test('the flood ran at the bridge', () => {
    // Half the nominal rate is still several times what the page asks for (the simulator shares
    // the two cores with Chromium: 7 200-8 100/s seen).
    assert.ok(run.ingestPerSecond >= 0.5 * SENSORS * HZ, `the bridge took ${run.ingestPerSecond} readings/s`);
  });

  test('the page asks for a few readings a second per tile, and the bridge keeps up with it without conflating', () => {
    // Frames the bridge sent the page (readings, and the odd ping or ack).
    assert.ok(run.sentPerSecond <= MAX_HZ * SENSORS * 1.1, `the bridge sent ${run.sentPerSecond} frames/s: more than ${MAX_HZ} Hz per sensor`);
    assert.ok(run.sentPerSecond >= MIN_HZ * SENSORS * 0.8, `the bridge sent only ${run.sentPerSecond} frames/s`);
    assert.ok(run.conflated <= 0.01 * run.sentPerSecond * SECONDS, `the bridge conflated ${run.conflated} readings for the page in ${SECONDS} s`);
  });

  test('the tiles on screen get within 4 s of live, and stay there', () => {
    // Opened into the flood, the page catches up first (flood_bridge.mjs waits up to 30 s for it).
    assert.notEqual(run.liveAfterMs, null, `the tiles on screen never got within ${LIVE_MS} ms of live`);
    assert.ok(run.visibleTiles >= 10, `only ${run.visibleTiles} tiles on screen`);
    assert.ok(run.ageMs.samples >= run.visibleTiles * SECONDS, `only ${run.ageMs.samples} age samples`);
    assert.ok(run.ageMs.p99 <= LIVE_MS, `a tile showed a reading ${run.ageMs.p99} ms old (p99; max ${run.ageMs.max})`);
    assert.ok(run.shownAgeS.max <= LIVE_MS / 1000, `a tile said "${run.shownAgeS.max} s ago"`);
  });

  test('frames keep coming, no long task', () => {
    assert.ok(run.fps >= MIN_BRIDGE_FPS, `${run.fps} frames/s (at least ${MIN_BRIDGE_FPS})`);
    assert.ok(run.longestTaskMs <= MAX_LONG_TASK_MS, `a long task of ${run.longestTaskMs} ms (at most ${MAX_LONG_TASK_MS})`);
  });

  test('no console errors', () => {
    assert.deepEqual(run.consoleErrors, []);
  });
});
