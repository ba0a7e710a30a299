// End-to-end: the built dashboard (web/dist) in Debian's Chromium, driven by playwright-core,
// against the real sensor-bridge binary and a real mosquitto, all on free loopback ports.
//
//   SENSOR_BRIDGE_BIN  the bridge binary (default ../build/bin/sensor-bridge, relative to web/)
//   CHROMIUM_BIN       the browser (default /usr/bin/chromium)
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort, publish, publishLines, removeDir, startBridge, startBroker, stop, stopAll, tempDir, waitFor } from './harness.mjs';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webRoot = path.join(webDir, 'dist');
const bridgeBin = path.resolve(webDir, process.env.SENSOR_BRIDGE_BIN ?? '../build/bin/sensor-bridge');
const chromiumBin = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const screenshotPath = path.join(webDir, 'tests/e2e/screenshot.png');
const docsScreenshotPath = path.join(webDir, '../docs/dashboard.png');

// Ids may hold any text but control characters and '*' (docs/PROTOCOL.md §2): quoted for CSS.
const cssString = (text) => `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
const tile = (id) => `[data-sensor-id=${cssString(id)}]`;
const valueOf = (id) => `${tile(id)} [data-field="value"]`;
const textIs = ([sel, text]) => document.querySelector(sel)?.textContent === text;
// A device whose only message is its status, as a device's will on sensors/<id>/status.
const WILL_ONLY = 'sim-e2e-7f3a';

// A small, varied household: numbers with units, booleans and a string state.
const SENSORS = [
  { id: 'living-room.temperature', unit: '°C', f: (i) => 21.2 + 0.9 * Math.sin(i / 7) + 0.15 * Math.sin(i * 1.7) },
  { id: 'kitchen.temperature', unit: '°C', f: (i) => 22.4 + 1.6 * Math.sin(i / 5 + 1) },
  { id: 'kitchen.humidity', unit: '%', f: (i) => 48 + 6 * Math.sin(i / 9) + 2 * Math.sin(i * 0.9) },
  { id: 'office.co2', unit: 'ppm', f: (i) => 520 + i * 9 + 25 * Math.sin(i / 3) },
  { id: 'garage.power', unit: 'W', f: (i) => (i % 12 < 4 ? 1850 : 140) + 40 * Math.sin(i) },
  { id: 'outdoor.temperature', unit: '°C', f: (i) => 6.5 - i * 0.04 + 0.3 * Math.sin(i / 2) },
  { id: 'bedroom.humidity', unit: '%', f: (i) => 41 + 3 * Math.cos(i / 8) },
  { id: 'server-rack.temperature', unit: '°C', f: (i) => 34 + 2.5 * Math.sin(i / 4) + (i > 40 ? 3 : 0) },
  { id: 'front-door', f: (i) => i % 15 > 11 },
  { id: 'hallway.motion', f: (i) => i % 7 < 2 },
  { id: 'boiler.mode', f: (i) => (i % 20 < 12 ? 'heating' : 'idle') },
];
// A sensor that goes quiet: it must turn stale (3× its usual interval, at least 10 s).
const QUIET = { id: 'cellar.temperature', unit: '°C', f: (i) => 12.4 + 0.1 * i };
const POINTS = 48;
const STEP_MS = 5000;

function payload(sensor, i, timestamp) {
  const value = sensor.f(i);
  const body = { sensorId: sensor.id, value: typeof value === 'number' ? Math.round(value * 100) / 100 : value, timestamp };
  if (sensor.unit) body.unit = sensor.unit;
  return JSON.stringify(body);
}

/** Each sensor's last few minutes, published in one burst with the sensors' own timestamps. */
async function publishHistory(mqttPort) {
  const end = Date.now();
  await Promise.all(
    SENSORS.map((s) =>
      publishLines(
        mqttPort,
        `sensors/${s.id.replace(/\./g, '/')}`,
        Array.from({ length: POINTS }, (_, i) => payload(s, i, end - (POINTS - 1 - i) * STEP_MS)),
      ),
    ),
  );
}

describe('dashboard in Chromium against the real bridge', { timeout: 60_000 }, () => {
  let dir;
  let broker;
  let bridge;
  let bridgeOpts;
  let context;
  let page;
  const consoleErrors = [];
  let outage = null; // [start, end] while the bridge is deliberately down

  before(async () => {
    assert.ok(existsSync(path.join(webRoot, 'index.html')), `no ${webRoot}/index.html: run "npm run build" first`);
    assert.ok(existsSync(bridgeBin), `no bridge binary at ${bridgeBin}: build it or set SENSOR_BRIDGE_BIN`);
    assert.ok(existsSync(chromiumBin), `no browser at ${chromiumBin}: apt-get install chromium, or set CHROMIUM_BIN`);
    dir = tempDir('sb-e2e-');
    broker = await startBroker(dir);
    bridgeOpts = { bin: bridgeBin, httpPort: await freePort(), mqttPort: broker.port, db: path.join(dir, 'bridge.db'), webRoot };
    bridge = await startBridge(bridgeOpts);
    // The subscription may trail the "connected" health by a moment: publish until one lands.
    await waitFor(
      'the first reading to reach the bridge',
      async () => {
        await publish(broker.port, 'sensors/living-room/temperature', payload(SENSORS[0], 0, Date.now() - (POINTS + 1) * STEP_MS));
        const list = await (await fetch(`${bridge.base}/api/sensors`)).json();
        return list.some((r) => r.sensorId === SENSORS[0].id);
      },
      8000,
      200,
    );
    await publish(broker.port, 'sensors/cellar/temperature', payload(QUIET, 0, Date.now()));
    await Promise.all(
      SENSORS.slice(1).map((s) => publish(broker.port, `sensors/${s.id.replace(/\./g, '/')}`, payload(s, 0, Date.now() - (POINTS + 1) * STEP_MS))),
    );

    context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
      executablePath: chromiumBin,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
      viewport: { width: 1440, height: 900 },
      deviceScaleFactor: 1,
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push({ at: Date.now(), text: msg.text() });
    });
    page.on('pageerror', (err) => consoleErrors.push({ at: Date.now(), text: `pageerror: ${err.message}` }));
    await page.goto(`${bridge.base}/`);
    await page.evaluate(() => {
      window.__e2eMarker = 'same page';
    });
  });

  after(async () => {
    await context?.close().catch(() => {});
    await stopAll();
    if (dir) removeDir(dir);
  });

  test('shows a tile per sensor, with value, unit and a live connection', async () => {
    await page.waitForSelector('[data-connection-state="open"]', { timeout: 5000 });
    await waitFor('all tiles', async () => (await page.locator('[data-sensor-id]').count()) === SENSORS.length + 1, 5000);
    const living = page.locator(tile('living-room.temperature'));
    assert.equal(await living.locator('[data-field="unit"]').textContent(), '°C');
    assert.match(await living.locator('[data-field="value"]').textContent(), /^\d+\.\d$/);
    assert.equal(await page.locator(valueOf('front-door')).textContent(), 'closed');
    assert.equal(await page.locator(valueOf('boiler.mode')).textContent(), 'heating');
  });

  test('a quiet sensor turns stale; live history draws sparklines; a screenshot is saved', async () => {
    // A few readings 300 ms apart teach the page the cellar's usual interval; then it goes quiet.
    for (let i = 1; i <= 3; i++) {
      await publish(broker.port, 'sensors/cellar/temperature', payload(QUIET, i, Date.now()));
      await new Promise((r) => setTimeout(r, 300));
    }
    assert.equal(await page.locator(`${tile(QUIET.id)}`).getAttribute('data-state'), 'live');
    await page.waitForSelector(`${tile(QUIET.id)}[data-state="stale"]`, { timeout: 15_000 });
    assert.equal(await page.locator(`${tile(QUIET.id)} [data-field="state"]`).textContent(), 'stale');
    await publishHistory(broker.port);
    await waitFor(
      'history to arrive',
      () => page.evaluate((n) => document.querySelector('[data-sensor-id="office.co2"] [data-field="value"]')?.textContent === n, String(Math.round(SENSORS[3].f(POINTS - 1)))),
      5000,
    );
    await page.waitForTimeout(300); // let the last frame paint
    mkdirSync(path.dirname(docsScreenshotPath), { recursive: true });
    const bottom = await page.evaluate(() => Math.ceil(document.querySelector('#grid').getBoundingClientRect().bottom) + 32);
    await page.screenshot({ path: screenshotPath, clip: { x: 0, y: 0, width: 1440, height: Math.min(900, bottom) } });
    // docs/dashboard.png is tracked: refresh it only when asked (UPDATE_SCREENSHOT=1).
    if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(screenshotPath, docsScreenshotPath);
  });

  test('a published reading shows on its tile within 1 s', async () => {
    for (const value of [23.4, 19.8]) {
      const t0 = Date.now();
      await publish(broker.port, 'sensors/living-room/temperature', JSON.stringify({ sensorId: 'living-room.temperature', value, unit: '°C' }));
      await page.waitForFunction(
        ([sel, text]) => document.querySelector(sel)?.textContent === text,
        [valueOf('living-room.temperature'), value.toFixed(1)],
        { timeout: 1000 },
      );
      const took = Date.now() - t0;
      assert.ok(took < 1000, `update took ${took} ms`);
    }
  });

  test('a new sensor appears without a reload', async () => {
    const t0 = Date.now();
    await publish(broker.port, 'sensors/attic/temperature', JSON.stringify({ sensorId: 'attic.temperature', value: 17.25, unit: '°C' }));
    await page.waitForSelector(tile('attic.temperature'), { timeout: 1000 });
    assert.ok(Date.now() - t0 < 1000);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '17.3', valueOf('attic.temperature'), { timeout: 1000 });
    assert.equal(await page.evaluate(() => window.__e2eMarker), 'same page');
  });

  test('filter by id, open the detail with the keyboard, Esc closes it', async () => {
    await page.fill('#filter', 'kitchen');
    await waitFor('the filter', async () => (await page.locator('[data-sensor-id]:visible').count()) === 2, 2000);
    await page.fill('#filter', 'kitchen.hum*');
    await waitFor('the prefix filter', async () => (await page.locator('[data-sensor-id]:visible').count()) === 1, 2000);
    await page.fill('#filter', '');
    await waitFor('all tiles again', async () => (await page.locator('[data-sensor-id]:visible').count()) === SENSORS.length + 2, 2000);

    await page.focus(tile('office.co2'));
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog#detail');
    await dialog.waitFor({ state: 'visible', timeout: 2000 });
    const raw = JSON.parse(await dialog.locator('[data-field="raw"]').textContent());
    assert.equal(raw.sensorId, 'office.co2');
    assert.equal(raw.unit, 'ppm');
    assert.equal(await dialog.locator('[data-field="title"]').textContent(), 'office.co2');
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(webDir, 'tests/e2e/detail.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 2000 });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-sensor-id')), 'office.co2');
  });

  test('the open chart gets every reading of its sensor through its own room; its tile the latest; closing leaves the room', async () => {
    // The grid's sensor:* comes at a few readings a second per sensor (the newest wins): a quick
    // run of readings reaches the chart whole only through the chart's own sensor:<id>, at full rate.
    const id = 'kitchen.humidity';
    const dialog = page.locator('dialog#detail');
    const stat = async (name) => Number(await dialog.locator(`[data-stat="${name}"]`).textContent());
    const subscriptions = async () => (await (await fetch(`${bridge.base}/api/stats`)).json()).ws.subscriptions;
    const inLastHour = async () =>
      (await (await fetch(`${bridge.base}/api/sensors/${encodeURIComponent(id)}/series?from=-1h&to=now&maxPoints=2000`)).json()).points.length;
    // No chart open: the page is in the grid's room alone (the last chart's room is left).
    await waitFor('the grid room alone', async () => (await subscriptions()) === 1, 2000);
    await page.click(tile(id));
    await dialog.waitFor({ state: 'visible', timeout: 2000 });
    try {
      await waitFor('the chart to join its room', async () => (await subscriptions()) === 2, 2000);
      // The chart opens on the last hour: every reading of it, as the series endpoint has them.
      const known = await inLastHour();
      assert.ok(known >= POINTS, `${known} readings in the last hour`);
      await waitFor('the chart to hold the last hour', async () => (await stat('points')) === known, 3000);
      const seq = await stat('seq');
      const values = [61.2, 62.2, 63.2, 64.2, 65.2];
      await publishLines(broker.port, 'sensors/kitchen/humidity', values.map((value) => JSON.stringify({ sensorId: id, value, unit: '%' })));
      await waitFor(
        'every reading on the chart',
        async () => (await stat('seq')) === seq + values.length && (await stat('points')) === known + values.length,
        3000,
      );
      await page.waitForFunction(textIs, [valueOf(id), '65'], { timeout: 2000 }); // 65.2 % as the tile shows it
    } finally {
      await page.keyboard.press('Escape'); // the tests after this one want no dialog open
    }
    await dialog.waitFor({ state: 'hidden', timeout: 2000 });
    await waitFor('the chart to leave its room', async () => (await subscriptions()) === 1, 2000);
  });

  test('fits a phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow} px wider than the phone`);
    await page.screenshot({ path: path.join(webDir, 'tests/e2e/phone.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  test('a name with spaces, quotes, markup and non-ASCII letters gets its tile, its dialog and its link', async () => {
    const id = 'Wohnzimmer "Süd" <b>x</b>.温度';
    await publish(broker.port, 'sensors/wohnzimmer', JSON.stringify({ sensorId: id, value: 22.5, unit: '°C' }));
    await page.waitForSelector(tile(id), { timeout: 2000 });
    // The tile is added at once and drawn in a later frame (and only once on screen).
    await page.locator(tile(id)).scrollIntoViewIfNeeded();
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '22.5', valueOf(id), { timeout: 2000 });
    assert.equal(await page.locator('#grid b').count(), 0, 'the id became markup');
    await page.focus(tile(id));
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog#detail');
    await dialog.waitFor({ state: 'visible', timeout: 2000 });
    assert.equal(await dialog.locator('[data-field="title"]').textContent(), id);
    assert.equal(new URL(page.url()).hash, `#sensor=${encodeURIComponent(id)}`);
    // The dialog's history came over REST with the id percent-encoded in the path.
    await waitFor('its history', async () => JSON.parse(await dialog.locator('[data-field="raw"]').textContent()).sensorId === id, 2000);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 2000 });
    const res = await fetch(`${bridge.base}/api/sensors/${encodeURIComponent(id)}`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).value, 22.5);
  });

  test('a status topic turns its tile offline; a device known only by its will gets a tile with its state', async () => {
    const door = tile('front-door');
    assert.notEqual(await page.locator(door).getAttribute('data-state'), 'offline');
    await publish(broker.port, 'sensors/front-door/status', 'offline');
    await page.waitForSelector(`${door}[data-state="offline"]`, { timeout: 2000 });
    assert.equal(await page.locator(`${door} [data-field="state"]`).textContent(), 'offline');
    assert.equal(await page.locator(valueOf('front-door')).textContent(), 'closed', 'the last value stays');

    await publish(broker.port, `sensors/${WILL_ONLY}/status`, 'offline');
    await page.waitForSelector(`${tile(WILL_ONLY)}[data-state="offline"]`, { timeout: 2000 });
    assert.equal(await page.locator(tile(WILL_ONLY)).getAttribute('data-kind'), 'none');
    assert.equal(await page.locator(valueOf(WILL_ONLY)).textContent(), '', 'no value without a reading');
    assert.equal(await page.locator(`${tile(WILL_ONLY)} [data-field="state"]`).textContent(), 'offline');
    assert.equal(await page.locator('[data-count="offline"]').textContent(), '2 offline');
    await publish(broker.port, `sensors/${WILL_ONLY}/status`, 'online');
    await page.waitForSelector(`${tile(WILL_ONLY)}[data-state="live"]`, { timeout: 2000 });
    assert.equal(await page.locator(`${tile(WILL_ONLY)} [data-field="state"]`).textContent(), 'online');
  });

  test('an offline sensor can be removed from its dialog; a live one offers no remove', async () => {
    const id = 'shed.temperature';
    const dialog = page.locator('dialog#detail');
    const removeButton = dialog.locator('[data-action="remove"]');
    await publish(broker.port, 'sensors/shed/temperature', JSON.stringify({ sensorId: id, value: 9.5, unit: '°C' }));
    await page.waitForSelector(`${tile(id)}[data-state="live"]`, { timeout: 2000 });
    await page.click(tile(id));
    await dialog.waitFor({ state: 'visible', timeout: 2000 });
    assert.equal(await dialog.getAttribute('data-removal'), 'hidden');
    assert.equal(await removeButton.isVisible(), false, 'a live sensor offers no remove');

    // Its status topic says offline: the open dialog offers the button.
    await publish(broker.port, 'sensors/shed/temperature/status', 'offline');
    await removeButton.waitFor({ state: 'visible', timeout: 2000 });
    assert.equal(await dialog.locator('[data-field="state"]').textContent(), 'offline');

    // Remove asks first, with focus on Cancel; Shift+Tab and Enter confirm from the keyboard.
    await removeButton.click();
    await dialog.locator('[data-field="remove-confirm"]').waitFor({ state: 'visible', timeout: 1000 });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-action')), 'remove-cancel');
    const deleted = page.waitForResponse((res) => res.request().method() === 'DELETE', { timeout: 3000 });
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-action')), 'remove-confirm');
    await page.keyboard.press('Enter');
    const res = await deleted;
    assert.equal(res.status(), 204);
    assert.ok(res.url().endsWith('/api/sensors/shed.temperature'), res.url());

    // sensor.removed takes the tile and closes the dialog.
    await page.waitForSelector(tile(id), { state: 'detached', timeout: 2000 });
    await dialog.waitFor({ state: 'hidden', timeout: 2000 });
    assert.equal(await dialog.locator('[data-field="remove-error"]').textContent(), '');
    assert.equal((await fetch(`${bridge.base}/api/sensors/${encodeURIComponent(id)}`)).status, 404);
    await page.waitForFunction(() => location.hash === '', undefined, { timeout: 1000 }); // the link to it goes too
    // Keyboard focus is not lost with the tile: the tile that took its place has it.
    await page.waitForFunction(() => document.activeElement?.hasAttribute('data-sensor-id'), undefined, { timeout: 1000 });
  });

  test('bridge stop shows connecting; what changed while the page waited to retry shows after the reconnect, with no further publish', async () => {
    // Frames of the sockets opened from now on: the reconnect's snapshot must carry the new value.
    const frames = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
    const tiles = await page.locator('[data-sensor-id]').count();
    outage = [Date.now(), Infinity];
    await stop(bridge.proc);
    await page.waitForSelector('[data-connection-state="connecting"]', { timeout: 5000 });
    assert.match(await page.locator('#connection').textContent(), /reconnecting|connecting/);
    // Tiles stay on screen with their last values while the bridge is away.
    assert.equal(await page.locator('[data-sensor-id]').count(), tiles);

    // Wait until the page backs off for more than 3 s (the delays double: 1, 2, 4, 8 s with
    // jitter): the bridge then comes back and takes a publish while the page is still waiting.
    await waitFor(
      'a backoff wait of 4 s or more',
      async () => Number(/reconnecting in (\d+) s/.exec(await page.locator('#connection').textContent())?.[1] ?? 0) >= 4,
      30_000,
    );
    bridge = await startBridge(bridgeOpts);
    await publish(broker.port, 'sensors/kitchen/temperature', JSON.stringify({ sensorId: 'kitchen.temperature', value: 26.6, unit: '°C' }));
    await publish(broker.port, 'sensors/outdoor/temperature/status', 'offline');
    await waitFor(
      'the bridge to hold the new value and status',
      async () => {
        const list = await (await fetch(`${bridge.base}/api/sensors`)).json();
        const kitchen = list.find((r) => r.sensorId === 'kitchen.temperature');
        const outdoor = list.find((r) => r.sensorId === 'outdoor.temperature');
        return kitchen?.value === 26.6 && outdoor?.status === 'offline';
      },
      3000,
    );
    assert.equal(await page.locator('#connection').getAttribute('data-connection-state'), 'connecting', 'still waiting to retry');
    assert.notEqual(await page.locator(valueOf('kitchen.temperature')).textContent(), '26.6');
    assert.notEqual(await page.locator(tile('outdoor.temperature')).getAttribute('data-state'), 'offline');

    await page.waitForSelector('[data-connection-state="open"]', { timeout: 35_000 });
    outage[1] = Date.now() + 1000;
    // No publish from here on: both come from the resubscribe (snapshot) and the REST refresh.
    await page.waitForFunction(textIs, [valueOf('kitchen.temperature'), '26.6'], { timeout: 3000 });
    await page.waitForSelector(`${tile('outdoor.temperature')}[data-state="offline"]`, { timeout: 3000 });
    const snapshot = frames.map((f) => JSON.parse(f)).find((m) => m.type === 'sensor.reading' && m.payload.sensorId === 'kitchen.temperature');
    assert.equal(snapshot?.payload.value, 26.6, 'the snapshot after the resubscribe carried the new value');

    // And live values flow again.
    const t0 = Date.now();
    await publish(broker.port, 'sensors/living-room/temperature', JSON.stringify({ sensorId: 'living-room.temperature', value: 25.1, unit: '°C' }));
    await page.waitForFunction(textIs, [valueOf('living-room.temperature'), '25.1'], { timeout: 1000 });
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(await page.evaluate(() => window.__e2eMarker), 'same page', 'the page was reloaded');
  });

  test('Home Assistant discovery: names over ids, one collapsible group per device, values by device class', async () => {
    const device = { identifiers: ['zigbee2mqtt_0x00158d0001234567'], name: 'Porch' };
    const configs = [
      [
        'homeassistant/sensor/0x00158d0001234567/temperature/config',
        { device, device_class: 'temperature', has_entity_name: true, name: 'Temperature', state_topic: 'zigbee2mqtt/Porch', unique_id: '0x00158d0001234567_temperature_zigbee2mqtt', unit_of_measurement: '°C', value_template: '{{ value_json.temperature }}' },
      ],
      [
        'homeassistant/binary_sensor/0x00158d0001234567/contact/config',
        { device, device_class: 'door', has_entity_name: true, name: 'Door', state_topic: 'zigbee2mqtt/Porch', unique_id: '0x00158d0001234567_contact_zigbee2mqtt', value_template: '{{ value_json.contact }}', payload_on: false, payload_off: true },
      ],
    ];
    for (const [topic, config] of configs) await publish(broker.port, topic, JSON.stringify(config), { retain: true });
    const deviceRef = { id: 'zigbee2mqtt_0x00158d0001234567', name: 'Porch' };
    // The configs went first; the state may still race them into the bridge: publish until both sensors carry their names.
    const listed = await waitFor(
      'the bridge to make Porch.temperature and Porch.contact from the discovery configs',
      async () => {
        await publish(broker.port, 'zigbee2mqtt/Porch', JSON.stringify({ temperature: 19.46, contact: false }));
        const list = await (await fetch(`${bridge.base}/api/sensors`)).json();
        const temperature = list.find((r) => r.sensorId === 'Porch.temperature');
        const contact = list.find((r) => r.sensorId === 'Porch.contact');
        if (temperature?.name === 'Porch Temperature' && contact?.name === 'Porch Door') return { temperature, contact };
        // Thrown, so a timeout reports what the bridge made of it.
        throw new Error(`the bridge lists ${JSON.stringify(list.filter((r) => /porch/i.test(r.sensorId)))}`);
      },
      8000,
      500,
    );
    assert.deepEqual(
      { value: listed.temperature.value, unit: listed.temperature.unit, deviceClass: listed.temperature.deviceClass, device: listed.temperature.device },
      { value: 19.46, unit: '°C', deviceClass: 'temperature', device: deviceRef },
    );
    assert.deepEqual({ value: listed.contact.value, deviceClass: listed.contact.deviceClass, device: listed.contact.device }, { value: true, deviceClass: 'door', device: deviceRef });

    // One group headed "Porch" holds both tiles.
    const group = page.locator('.tile-group', { has: page.locator('[data-field="group-name"]', { hasText: /^Porch$/ }) });
    await group.waitFor({ state: 'attached', timeout: 3000 });
    await waitFor('both tiles in the group', async () => (await group.locator('[data-sensor-id]').count()) === 2, 3000);
    assert.equal(await group.count(), 1);
    assert.equal(await group.getAttribute('data-device-group'), 'id:zigbee2mqtt_0x00158d0001234567');
    assert.equal(await group.locator(tile('Porch.temperature')).count(), 1);
    assert.equal(await group.locator(tile('Porch.contact')).count(), 1);
    assert.equal(await group.locator('[data-field="group-count"]').textContent(), '2 sensors');
    await page.waitForFunction(textIs, ['.tile-group[data-device-group="id:zigbee2mqtt_0x00158d0001234567"] [data-field="group-state"]', 'online'], { timeout: 3000 });
    assert.equal(await group.locator('[data-field="group-state"]').count(), 1, 'the availability shows once, for the group');

    // The name is the title, the id beneath it; values as the device class says. Drawn a frame after it is added, and only on screen.
    await group.scrollIntoViewIfNeeded();
    await page.waitForFunction(textIs, [`${tile('Porch.temperature')} [data-field="name"]`, 'Porch Temperature'], { timeout: 3000 });
    assert.equal(await page.locator(`${tile('Porch.temperature')} [data-field="id"]`).textContent(), 'Porch.temperature');
    assert.equal(await page.locator(`${tile('Porch.temperature')} [data-field="name"]`).isVisible(), true);
    await page.waitForFunction(textIs, [valueOf('Porch.temperature'), '19.5'], { timeout: 3000 });
    assert.equal(await page.locator(`${tile('Porch.temperature')} [data-field="unit"]`).textContent(), '°C');
    await page.waitForFunction(textIs, [valueOf('Porch.contact'), 'open'], { timeout: 3000 });
    assert.equal(await page.locator(tile('Porch.contact')).getAttribute('data-device-class'), 'door');
    // A tile without a config keeps its id as the title and no name.
    assert.equal(await page.locator(`${tile('kitchen.temperature')} [data-field="name"]`).isVisible(), false);
    await page.waitForTimeout(200); // let the last frame paint
    await page.screenshot({ path: path.join(webDir, 'tests/e2e/groups.png') });

    // The filter matches names: a group with no shown tile hides.
    await page.fill('#filter', 'porch door');
    await waitFor('the name filter', async () => (await page.locator('[data-sensor-id]:visible').count()) === 1, 2000);
    assert.equal(await page.locator(tile('Porch.contact')).isVisible(), true);
    await page.fill('#filter', 'kitchen');
    await group.waitFor({ state: 'hidden', timeout: 2000 });
    await page.fill('#filter', '');
    await group.waitFor({ state: 'visible', timeout: 2000 });

    // Collapse with a click, expand from the keyboard; the choice is remembered for the device.
    const toggle = group.locator('[data-action="toggle-group"]');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await toggle.click();
    await page.locator(tile('Porch.temperature')).waitFor({ state: 'hidden', timeout: 2000 });
    assert.equal(await page.locator(tile('Porch.contact')).isVisible(), false);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await toggle.isVisible(), true, 'the header stays');
    assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.getItem('sensor-bridge.collapsed-groups'))), ['id:zigbee2mqtt_0x00158d0001234567']);
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.locator(tile('Porch.temperature')).waitFor({ state: 'visible', timeout: 2000 });
    assert.equal(await page.locator(tile('Porch.contact')).isVisible(), true);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.getItem('sensor-bridge.collapsed-groups'))), []);

    // The dialog's title: the name, and the id beneath it.
    await page.click(tile('Porch.temperature'));
    const dialog = page.locator('dialog#detail');
    await dialog.waitFor({ state: 'visible', timeout: 2000 });
    assert.equal(await dialog.locator('[data-field="name"]').textContent(), 'Porch Temperature');
    assert.equal(await dialog.locator('[data-field="title"]').textContent(), 'Porch.temperature');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 2000 });
  });

  // The detail chart over a day of readings, one every 30 s, with the sensor's own (past) timestamps.
  const HISTORY = { id: 'history.temperature', topic: 'sensors/history/temperature', count: 2900, stepMs: 30_000 };
  let historyTimes = [];
  const chartSel = '#detail [data-field="chart"]';
  /** What the chart shows, read in one go (one frame): its data-* hooks, the pressed range, the CSV link. */
  const chartShown = () =>
    page.evaluate((sel) => {
      const c = document.querySelector(sel);
      const a = c.querySelector('a[data-field="csv"]');
      const reset = c.querySelector('[data-action="zoom-reset"]');
      return {
        window: c.dataset.window,
        busy: c.getAttribute('aria-busy'),
        from: Number(c.dataset.from),
        to: Number(c.dataset.to),
        resolution: c.dataset.resolution,
        shape: c.dataset.shape,
        points: Number(c.dataset.points),
        live: c.dataset.live,
        href: a.getAttribute('href'),
        fileName: a.getAttribute('download'),
        pressed: [...c.querySelectorAll('button[data-range]')].filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.range),
        reset: reset.hidden ? null : reset.textContent,
        plotWidth: c.querySelector('[data-field="plot"]').clientWidth,
      };
    }, chartSel);
  /** The chart once it shows `window` with its answer in (no request on its way). */
  const chartSettled = (window) =>
    waitFor(`the chart to show ${window}`, async () => {
      const shown = await chartShown();
      return shown.window === window && shown.busy === 'false' && shown.points > 0 ? shown : null;
    }, 5000);
  /** Published readings whose time is within [from, to] (the bridge's series includes both ends). */
  const publishedWithin = (from, to) => historyTimes.filter((t) => t >= from && t <= to).length;
  const csvLines = (text) => text.split('\r\n').filter((line) => line !== '');

  test('the detail chart: range buttons set its time span; a day of readings comes bucketed; the CSV link is the span shown', async () => {
    const end = Date.now();
    historyTimes = Array.from({ length: HISTORY.count }, (_, i) => end - (HISTORY.count - 1 - i) * HISTORY.stepMs);
    await publishLines(
      broker.port,
      HISTORY.topic,
      historyTimes.map((timestamp, i) => JSON.stringify({ sensorId: HISTORY.id, value: Math.round((20 + 3 * Math.sin(i / 120) + 0.4 * Math.sin(i)) * 100) / 100, unit: '°C', timestamp })),
    );
    await waitFor(
      'the bridge to hold the day of readings',
      async () => {
        const res = await fetch(`${bridge.base}/api/sensors/${HISTORY.id}/series?from=${historyTimes[0]}&to=now&maxPoints=10000`);
        return res.ok && (await res.json()).points.length === HISTORY.count;
      },
      10_000,
      200,
    );
    await page.click(tile(HISTORY.id));
    const dialog = page.locator('dialog#detail');
    await dialog.waitFor({ state: 'visible', timeout: 2000 });

    // 1 h first, live; its CSV link asks for exactly the span shown.
    let shown = await chartSettled('1h');
    assert.ok(Math.abs(shown.to - shown.from - 3_600_000) <= 1, `1 h spans ${shown.to - shown.from} ms`);
    assert.ok(Math.abs(shown.to - Date.now()) < 5_000, 'the hour ends now');
    assert.deepEqual(shown.pressed, ['1h']);
    assert.equal(shown.live, 'true');
    assert.equal(shown.resolution, 'raw');
    assert.equal(shown.shape, 'line');
    assert.equal(shown.reset, null);
    let csv = new URL(shown.href, bridge.base);
    assert.equal(csv.pathname, `/api/sensors/${HISTORY.id}/series`);
    assert.deepEqual([Number(csv.searchParams.get('from')), Number(csv.searchParams.get('to')), csv.searchParams.get('format')], [shown.from, shown.to, 'csv']);

    await page.click(`${chartSel} button[data-range="15m"]`);
    shown = await chartSettled('15m');
    assert.ok(Math.abs(shown.to - shown.from - 900_000) <= 1, `15 min spans ${shown.to - shown.from} ms`);
    assert.deepEqual(shown.pressed, ['15m']);
    assert.equal(shown.resolution, 'raw');
    const in15 = publishedWithin(shown.from, shown.to);
    assert.ok(shown.points === in15 || shown.points === in15 + 1, `${shown.points} points for ${in15} readings (one more may enter from the left)`);

    await page.click(`${chartSel} button[data-range="24h"]`);
    shown = await chartSettled('24h');
    assert.ok(Math.abs(shown.to - shown.from - 86_400_000) <= 1, `24 h spans ${shown.to - shown.from} ms`);
    assert.deepEqual(shown.pressed, ['24h']);
    // 2 880 readings in 24 h, more than a point per pixel: buckets, drawn as a mean line in a min–max band.
    assert.notEqual(shown.resolution, 'raw');
    assert.equal(shown.shape, 'band');
    assert.ok(shown.points > 100 && shown.points <= shown.plotWidth + 1, `${shown.points} buckets on ${shown.plotWidth} px`);

    // The CSV of the span shown: the link and the data-* hooks come from the same frame.
    const fetched = await page.evaluate(async (sel) => {
      const c = document.querySelector(sel);
      const shown = { href: c.querySelector('a[data-field="csv"]').getAttribute('href'), from: Number(c.dataset.from), to: Number(c.dataset.to) };
      const res = await fetch(shown.href);
      return { ...shown, type: res.headers.get('content-type'), text: await res.text() };
    }, chartSel);
    csv = new URL(fetched.href, bridge.base);
    assert.deepEqual([Number(csv.searchParams.get('from')), Number(csv.searchParams.get('to'))], [fetched.from, fetched.to]);
    assert.match(fetched.type, /^text\/csv/);
    const lines = csvLines(fetched.text);
    assert.equal(lines[0], 't,time,value', 'as fine as one answer gets: every reading');
    assert.equal(lines.length - 1, publishedWithin(fetched.from, fetched.to));
  });

  test('drag-to-zoom narrows the span at full resolution and stops live points; its CSV downloads exactly it; back returns to the range', async () => {
    const before = await chartSettled('24h');
    const over = await page.locator(`${chartSel} .u-over`).boundingBox();
    const y = over.y + over.height / 2;
    await page.mouse.move(over.x + over.width * 0.25, y);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.5, y, { steps: 10 });
    await page.mouse.up();
    const zoomed = await chartSettled('zoom');
    const span = zoomed.to - zoomed.from;
    assert.ok(span < before.to - before.from, `zoomed to ${span} ms`);
    assert.ok(Math.abs(span - 0.25 * 86_400_000) < 0.05 * 86_400_000, `a quarter of the day, about: ${span} ms`);
    assert.ok(zoomed.from > before.from && zoomed.to < before.to, 'within the day');
    assert.equal(zoomed.resolution, 'raw', 'the zoomed window at full resolution');
    assert.equal(zoomed.points, publishedWithin(zoomed.from, zoomed.to));
    assert.deepEqual(zoomed.pressed, []);
    assert.equal(zoomed.reset, 'Back to 24 h');
    assert.equal(zoomed.live, 'false');

    // A live reading does not join a zoomed chart (the window no longer reaches now).
    await publish(broker.port, HISTORY.topic, JSON.stringify({ sensorId: HISTORY.id, value: 31.7, unit: '°C' }));
    // The dialog draws the reading in the frame after the chart was offered it.
    await page.waitForFunction(textIs, ['#detail [data-field="value"]', '31.7'], { timeout: 2000 });
    const still = await chartShown();
    assert.deepEqual([still.points, still.from, still.to], [zoomed.points, zoomed.from, zoomed.to]);

    // The link downloads the zoomed window: every reading in it.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 5000 }), page.click(`${chartSel} a[data-field="csv"]`)]);
    const url = new URL(download.url());
    assert.deepEqual([Number(url.searchParams.get('from')), Number(url.searchParams.get('to'))], [zoomed.from, zoomed.to]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const rows = csvLines(readFileSync(await download.path(), 'utf8'));
    assert.equal(rows[0], 't,time,value');
    assert.equal(rows.length - 1, zoomed.points);
    const times = rows.slice(1).map((r) => Number(r.split(',')[0]));
    assert.ok(times.every((t) => t >= zoomed.from && t <= zoomed.to), 'every row within the window');

    await page.click(`${chartSel} [data-action="zoom-reset"]`);
    const back = await chartSettled('24h');
    assert.ok(Math.abs(back.to - back.from - 86_400_000) <= 1);
    assert.deepEqual(back.pressed, ['24h']);
    assert.equal(back.reset, null);
    assert.equal(back.live, 'true');
  });

  test("the detail chart works on a phone: no sideways scrolling, every range button on screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.click(`${chartSel} button[data-range="7d"]`);
      const shown = await chartSettled('7d');
      assert.ok(Math.abs(shown.to - shown.from - 7 * 86_400_000) <= 1);
      assert.ok(shown.plotWidth >= 250, `the plot is ${shown.plotWidth} px wide`);
      const fit = await page.evaluate(() => {
        const d = document.querySelector('#detail');
        const right = Math.max(...[...d.querySelectorAll('.chart-tools > *, .uplot')].map((e) => e.getBoundingClientRect().right));
        return { overflow: d.scrollWidth - d.clientWidth, right, viewport: window.innerWidth };
      });
      assert.ok(fit.overflow <= 0, `the dialog scrolls ${fit.overflow} px sideways`);
      assert.ok(fit.right <= fit.viewport, `the chart reaches ${fit.right} px of ${fit.viewport}`);
      mkdirSync(path.join(webDir, 'tests/e2e/.tmp'), { recursive: true });
      await page.screenshot({ path: path.join(webDir, 'tests/e2e/.tmp/detail-phone.png') });
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.keyboard.press('Escape');
    }
    await page.locator('dialog#detail').waitFor({ state: 'hidden', timeout: 2000 });
  });

  test('no console errors', () => {
    // While the bridge is deliberately down, Chromium itself logs the refused WebSocket attempts.
    const expected = (e) =>
      outage !== null && e.at >= outage[0] && e.at <= outage[1] && /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED/.test(e.text);
    const unexpected = consoleErrors.filter((e) => !expected(e));
    assert.deepEqual(unexpected.map((e) => e.text), []);
  });
});

// A bridge with a --token-file: the page still loads, asks for the token, keeps it for the tab
// and shows readings once it is given.
describe('dashboard against a bridge that needs a token', { timeout: 60_000 }, () => {
  const TOKEN = 'e2e-dashboard-token-5e4d3c2b1a';
  let dir;
  let broker;
  let bridge;
  let context;
  let page;
  const consoleErrors = [];

  before(async () => {
    dir = tempDir('sb-e2e-auth-');
    broker = await startBroker(dir);
    const tokenFile = path.join(dir, 'tokens');
    writeFileSync(tokenFile, `# e2e\n${TOKEN}\n`, { mode: 0o600 });
    bridge = await startBridge({
      bin: bridgeBin,
      httpPort: await freePort(),
      mqttPort: broker.port,
      db: path.join(dir, 'bridge.db'),
      webRoot,
      extraArgs: ['--token-file', tokenFile],
    });
    await waitFor(
      'a first reading to reach the bridge',
      async () => {
        await publish(broker.port, 'sensors/hall/temperature', JSON.stringify({ sensorId: 'hall.temperature', value: 19.5, unit: '°C' }));
        const res = await fetch(`${bridge.base}/api/sensors`, { headers: { Authorization: `Bearer ${TOKEN}` } });
        return (await res.json()).some((r) => r.sensorId === 'hall.temperature');
      },
      8000,
      200,
    );
    context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
      executablePath: chromiumBin,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  });

  after(async () => {
    await context?.close().catch(() => {});
    await stopAll();
    if (dir) removeDir(dir);
  });

  test('the page loads and asks for a token; no reading shows without one', async () => {
    await page.goto(`${bridge.base}/`);
    await page.waitForSelector('#auth[open]', { timeout: 5000 });
    assert.match(await page.locator('[data-field="auth-message"]').textContent(), /needs an access token/);
    assert.equal(await page.locator('[data-sensor-id]').count(), 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('sensor-bridge.token')), null);
  });

  test('a wrong token is refused and asked again', async () => {
    await page.fill('#auth-token', 'e2e-wrong-token-0123456789');
    await page.click('.auth-submit');
    await page.waitForFunction(
      () => document.querySelector('#auth')?.open && /refused/.test(document.querySelector('[data-field="auth-message"]')?.textContent ?? ''),
      undefined,
      { timeout: 5000 },
    );
    assert.equal(await page.evaluate(() => sessionStorage.getItem('sensor-bridge.token')), null, 'a refused token is forgotten');
  });

  test('the right token shows the readings, live', async () => {
    await page.fill('#auth-token', TOKEN);
    await page.click('.auth-submit');
    await page.waitForSelector('[data-connection-state="open"]', { timeout: 5000 });
    assert.equal(await page.locator('#auth').evaluate((d) => d.open), false);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '19.5', valueOf('hall.temperature'), { timeout: 5000 });
    await publish(broker.port, 'sensors/hall/temperature', JSON.stringify({ sensorId: 'hall.temperature', value: 20.5, unit: '°C' }));
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '20.5', valueOf('hall.temperature'), { timeout: 2000 });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('sensor-bridge.token')), TOKEN);
  });

  test('a reload of the tab keeps the token; the URL never carries it', async () => {
    await page.reload();
    await page.waitForSelector('[data-connection-state="open"]', { timeout: 5000 });
    await page.waitForSelector(tile('hall.temperature'), { timeout: 5000 });
    assert.equal(await page.locator('#auth').evaluate((d) => d.open), false);
    assert.ok(!page.url().includes(TOKEN));
  });

  test('a token without the admin scope cannot remove a sensor: the dialog says why and stays open', async () => {
    const id = 'hall.temperature';
    await publish(broker.port, 'sensors/hall/temperature/status', 'offline');
    await page.waitForSelector(`${tile(id)}[data-state="offline"]`, { timeout: 2000 });
    await page.click(tile(id));
    const dialog = page.locator('dialog#detail');
    await dialog.locator('[data-action="remove"]').click({ timeout: 2000 });
    await dialog.locator('[data-action="remove-confirm"]').click({ timeout: 1000 });
    const alert = dialog.locator('[role="alert"][data-field="remove-error"]');
    await page.waitForFunction(() => document.querySelector('[data-field="remove-error"]')?.textContent !== '', undefined, { timeout: 3000 });
    assert.match(await alert.textContent(), /scope=admin/);
    assert.equal(await dialog.evaluate((d) => d.open), true);
    assert.equal(await dialog.locator('[data-action="remove"]').isVisible(), true, 'the button is back for another try');
    assert.equal(await page.locator(tile(id)).count(), 1);
    const res = await fetch(`${bridge.base}/api/sensors/${id}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200, 'the bridge still has it');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 2000 });
  });

  test('no console errors but the expected 401s and the refused removal', () => {
    const unexpected = consoleErrors.filter((t) => !/status of (401|403)/.test(t));
    assert.deepEqual(unexpected, []);
  });
});
