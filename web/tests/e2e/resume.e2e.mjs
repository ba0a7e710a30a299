// End-to-end, issue 19: the built dashboard in Chromium resumes the open chart's sensor with
// `since` after a reconnect to the same bridge instance (the bridge restarted on its database),
// and takes a snapshot on another instance (the bridge restarted on a new database).
//
//   SENSOR_BRIDGE_BIN  the bridge binary (default ../build/bin/sensor-bridge, relative to web/)
//   CHROMIUM_BIN       the browser (default /usr/bin/chromium)
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort, publish, removeDir, startBridge, startBroker, stop, stopAll, tempDir, waitFor } from './harness.mjs';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webRoot = path.join(webDir, 'dist');
const bridgeBin = path.resolve(webDir, process.env.SENSOR_BRIDGE_BIN ?? '../build/bin/sensor-bridge');
const chromiumBin = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const ID = 'porch.temperature';
const TOPIC = 'sensors/porch/temperature';

describe('the dashboard resumes on the same bridge instance only', { timeout: 90_000 }, () => {
  let dir;
  let broker;
  let bridge;
  let opts;
  let context;
  let page;
  /** Every frame of every socket the page opens, in order: [direction, message]. */
  const frames = [];

  const instanceOf = async () => (await (await fetch(`${bridge.base}/api/health`)).json()).instance;
  const seqOnBridge = async () => (await (await fetch(`${bridge.base}/api/sensors/${encodeURIComponent(ID)}`)).json()).seq;
  const shown = () => page.locator(`[data-sensor-id="${ID}"] [data-field="value"]`).textContent();

  /** Publishes `values`, each once the bridge has taken the one before (no reordering, no sleep). */
  async function publishInOrder(values) {
    for (const v of values) {
      const before = (await fetch(`${bridge.base}/api/sensors/${encodeURIComponent(ID)}`)).ok ? await seqOnBridge() : 0;
      await publish(broker.port, TOPIC, JSON.stringify({ value: v, unit: '°C' }));
      await waitFor(`the bridge to take ${v}`, async () => (await seqOnBridge().catch(() => 0)) > before, 5000);
    }
  }

  /** Stops the bridge and waits until the page backs off for 4 s or more, so what follows happens while it waits. */
  async function stopAndWaitForBackoff() {
    await stop(bridge.proc);
    await waitFor(
      'a backoff wait of 4 s or more',
      async () => Number(/reconnecting in (\d+) s/.exec(await page.locator('#connection').textContent())?.[1] ?? 0) >= 4,
      30_000,
    );
  }

  /** Frames of the sockets opened from index `from` of `frames` on. */
  const since = (from) => frames.slice(from);

  before(async () => {
    assert.ok(existsSync(path.join(webRoot, 'index.html')), `no ${webRoot}/index.html: run "npm run build" first`);
    assert.ok(existsSync(bridgeBin), `no bridge binary at ${bridgeBin}: build it or set SENSOR_BRIDGE_BIN`);
    assert.ok(existsSync(chromiumBin), `no browser at ${chromiumBin}: apt-get install chromium, or set CHROMIUM_BIN`);
    dir = tempDir('sb-e2e-resume-');
    broker = await startBroker(dir);
    opts = { bin: bridgeBin, httpPort: await freePort(), mqttPort: broker.port, db: path.join(dir, 'a.db'), webRoot };
    bridge = await startBridge(opts);
    await publishInOrder([20.1, 20.2, 20.3]);
    context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
      executablePath: chromiumBin,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => frames.push(['sent', JSON.parse(String(f.payload))]));
      ws.on('framereceived', (f) => frames.push(['received', JSON.parse(String(f.payload))]));
    });
    // The open detail view follows its sensor through the exact room (live_rooms.ts).
    await page.goto(`${bridge.base}/#sensor=${encodeURIComponent(ID)}`);
    await page.waitForSelector('#detail[open]', { timeout: 5000 });
    await waitFor('the page to show 20.3', async () => (await shown()) === '20.3', 5000);
  });

  after(async () => {
    await context?.close().catch(() => {});
    await stopAll();
    if (dir) removeDir(dir);
  });

  test('back on the same instance, the open sensor resumes with since and gets exactly what it missed', async () => {
    const instance = await instanceOf();
    const had = await seqOnBridge();
    await stopAndWaitForBackoff();
    bridge = await startBridge(opts); // the same database: the same instance
    assert.equal(await instanceOf(), instance);
    await publishInOrder([20.4, 20.5, 20.6]);
    assert.equal(await page.locator('#connection').getAttribute('data-connection-state'), 'connecting', 'the page is still waiting to retry');
    const mark = frames.length;
    await waitFor('the page to show 20.6', async () => (await shown()) === '20.6', 35_000);

    const after = since(mark);
    const connected = after.find(([dir, m]) => dir === 'received' && m.type === 'connected');
    assert.equal(connected?.[1].payload.instance, instance);
    const subscribe = after.find(([dir, m]) => dir === 'sent' && m.type === 'subscribe' && m.payload.room === `sensor:${ID}`);
    assert.equal(subscribe?.[1].payload.since, had, 'the exact room resumes from the seq the page had');
    const replayed = after
      .filter(([dir, m]) => dir === 'received' && m.type === 'sensor.reading' && m.payload.sensorId === ID)
      .map(([, m]) => [m.payload.seq, m.payload.value, m.payload.gap === true]);
    // The replay first (oldest first, no gap); then sensor:*'s snapshot repeats the latest.
    assert.deepEqual(replayed.slice(0, 3), [
      [had + 1, 20.4, false],
      [had + 2, 20.5, false],
      [had + 3, 20.6, false],
    ]);
    assert.ok(replayed.slice(3).every(([seq]) => seq === had + 3), `nothing but the latest again: ${JSON.stringify(replayed)}`);
  });

  test('on another instance (a new database), it takes the snapshot, whatever its lower seq', async () => {
    const old = await instanceOf();
    const had = await seqOnBridge();
    await stopAndWaitForBackoff();
    bridge = await startBridge({ ...opts, db: path.join(dir, 'b.db') });
    assert.notEqual(await instanceOf(), old);
    await publishInOrder([19.5]);
    const mark = frames.length;
    await waitFor('the page to show 19.5', async () => (await shown()) === '19.5', 35_000);

    const after = since(mark);
    const subscribe = after.find(([dir, m]) => dir === 'sent' && m.type === 'subscribe' && m.payload.room === `sensor:${ID}`);
    assert.ok(subscribe, 'the exact room is joined again');
    assert.equal(subscribe[1].payload.since, undefined, 'no since on another instance');
    const snapshot = after.find(([dir, m]) => dir === 'received' && m.type === 'sensor.reading' && m.payload.sensorId === ID);
    assert.equal(snapshot?.[1].payload.seq, 1);
    assert.ok(snapshot[1].payload.seq < had);
  });
});
