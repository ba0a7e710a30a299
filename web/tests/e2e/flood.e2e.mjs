// The page stays responsive under a flood (ctest: dashboard_e2e_flood, label e2e, run alone).
// 1 000 sensors at 10 Hz each for 3 s, one reading at a time, then 3 s of the same rate in
// packs of 10 readings per sensor (a device sending a SenML pack of its last second). The
// bounds are generous, for a loaded 2-core machine; what is strict is the per-frame batching:
// no tile is updated twice within one animation frame, which fails at once when readings are
// rendered as they arrive (the packs give a tile 10 readings within a frame).
//   CHROMIUM_BIN  the browser (default /usr/bin/chromium)
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runFlood } from './flood.mjs';

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
