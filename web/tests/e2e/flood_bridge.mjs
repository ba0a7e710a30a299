// The flood through the real path, shared by flood.e2e.mjs and flood.bench.mjs (BRIDGE=1):
// sensor-sim publishes `sensors` × `hz` readings a second to a real mosquitto, the real bridge
// serves the built page (dist/, or `webRoot`) to Chromium, and what the page asks for
// (maxRateHz) is what it gets. Measured in the page over `seconds`: frames, long tasks, and how
// old the reading each tile on screen shows is (its data-received-at, and its "x s ago" text);
// from the bridge's /api/stats: readings in, frames sent to the page, readings conflated.
//   SENSOR_BRIDGE_BIN, SENSOR_SIM_BIN (default ../build/bin/sensor-bridge, ../build/bin/sensor-sim,
//   relative to web/), CHROMIUM_BIN (default /usr/bin/chromium)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { topFunctions } from './flood.mjs';
import { freePort, removeDir, start, startBridge, startBroker, stop, tempDir, waitFor } from './harness.mjs';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bridgeBin = path.resolve(webDir, process.env.SENSOR_BRIDGE_BIN ?? '../build/bin/sensor-bridge');
export const simBin = path.resolve(webDir, process.env.SENSOR_SIM_BIN ?? '../build/bin/sensor-sim');

/** Runs in the page: measures for `ms` while the flood goes on. */
async function measureLive({ ms }) {
  const longTasks = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
  observer.observe({ type: 'longtask', buffered: false });
  // The tiles on screen (the page does not scroll meanwhile).
  const tiles = [...document.querySelectorAll('[data-sensor-id]')].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  });
  // Four times a second, each tile's age: now − the bridge's receivedAt of the reading it shows
  // (same machine, same clock), and the seconds its "x s ago" says ("just now": 0).
  const ages = [];
  const textAges = [];
  const sampler = setInterval(() => {
    const now = Date.now();
    for (const t of tiles) {
      const at = Number(t.getAttribute('data-received-at'));
      if (at > 0) ages.push(now - at);
      const text = t.querySelector('[data-field="age"]')?.textContent ?? '';
      textAges.push(text === 'just now' ? 0 : Number(/^(\d+) s ago$/.exec(text)?.[1] ?? 999));
    }
  }, 250);
  let rafs = 0;
  let worstGap = 0;
  let last = performance.now();
  const startedAt = last;
  await new Promise((resolve) => {
    const loop = (t) => {
      rafs++;
      worstGap = Math.max(worstGap, t - last);
      last = t;
      if (t - startedAt < ms) requestAnimationFrame(loop);
      else resolve();
    };
    requestAnimationFrame(loop);
  });
  const elapsed = performance.now() - startedAt;
  clearInterval(sampler);
  observer.disconnect();
  const pct = (xs, p) => {
    if (xs.length === 0) return null;
    const s = [...xs].sort((a, b) => a - b);
    return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]);
  };
  return {
    fps: Math.round((rafs / elapsed) * 10_000) / 10,
    worstFrameGapMs: Math.round(worstGap),
    longTasks: longTasks.length,
    longestTaskMs: Math.round(Math.max(0, ...longTasks)),
    visibleTiles: tiles.length,
    ageMs: { p50: pct(ages, 50), p95: pct(ages, 95), p99: pct(ages, 99), max: pct(ages, 100), samples: ages.length },
    shownAgeS: { p50: pct(textAges, 50), p95: pct(textAges, 95), max: pct(textAges, 100) },
  };
}

async function stats(base) {
  return (await fetch(`${base}/api/stats`)).json();
}

/**
 * One run: starts mosquitto, the bridge and sensor-sim on free loopback ports, opens the page,
 * waits until every tile on screen shows a reading and then until they are live, measures for
 * `seconds`, stops everything.
 */
export async function runBridgeFlood({
  sensors = 1000,
  hz = 10,
  seconds = 10,
  viewport = { width: 1920, height: 1080 },
  webRoot = path.join(webDir, 'dist'),
  liveMs = 2_000,
  catchUpMs = 30_000,
  profile = false,
} = {}) {
  const dir = tempDir('sb-flood-bridge-');
  const procs = [];
  let context = null;
  const consoleErrors = [];
  try {
    const broker = await startBroker(dir);
    procs.push(broker.proc);
    const opts = { bin: bridgeBin, httpPort: await freePort(), mqttPort: broker.port, db: path.join(dir, 'bridge.db'), webRoot };
    const bridge = await startBridge(opts);
    procs.push(bridge.proc);
    const sim = start('sensor-sim', simBin, ['--mqtt-url', `tcp://127.0.0.1:${broker.port}`, '--sensors', String(sensors), '--rate', String(hz), '-q']);
    procs.push(sim);
    await waitFor(
      `${sensors} sensors at the bridge`,
      async () => {
        if (sim.exited) throw new Error(`sensor-sim exited (${sim.code}): ${sim.output}`);
        return (await stats(bridge.base)).store.sensors >= sensors;
      },
      20_000,
      200,
    );
    context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
      executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
      viewport,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
    const loadStart = Date.now();
    // The rates the page asks for, as [ms since the page was opened, maxRateHz of sensor:*].
    const rates = [];
    page.on('websocket', (ws) =>
      ws.on('framesent', (f) => {
        const m = JSON.parse(String(f.payload));
        if (m.type === 'subscribe' && m.payload.room === 'sensor:*') rates.push([Date.now() - loadStart, m.payload.maxRateHz ?? null]);
      }),
    );
    await page.goto(`${bridge.base}/`);
    await page.waitForFunction((n) => document.querySelectorAll('[data-sensor-id]').length >= n, sensors, { timeout: 30_000, polling: 200 });
    // Every tile on screen has drawn a reading (a value; the page before data-received-at has only that).
    await page.waitForFunction(
      () => {
        const shown = [...document.querySelectorAll('[data-sensor-id]')].filter((el) => el.getBoundingClientRect().top < innerHeight);
        return shown.length > 0 && shown.every((el) => el.querySelector('[data-field="value"]')?.textContent !== '');
      },
      undefined,
      { timeout: 30_000, polling: 200 },
    );
    const loadedMs = Date.now() - loadStart;
    // Opened into a running flood, the page catches up first; the window starts once every tile
    // on screen shows a reading at most `liveMs` old (or after `catchUpMs` without: null).
    let liveAfterMs = null;
    try {
      await page.waitForFunction(
        (limit) => {
          const now = Date.now();
          const shown = [...document.querySelectorAll('[data-sensor-id]')].filter((el) => el.getBoundingClientRect().top < innerHeight);
          return shown.every((el) => now - Number(el.getAttribute('data-received-at')) <= limit);
        },
        liveMs,
        { timeout: catchUpMs, polling: 250 },
      );
      liveAfterMs = Date.now() - loadStart;
    } catch {
      // Not live within catchUpMs: measured as it is.
    }
    const cdp = profile ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const s0 = await stats(bridge.base);
    const t0 = Date.now();
    const page0 = await page.evaluate(measureLive, { ms: seconds * 1000 });
    const s1 = await stats(bridge.base);
    const top = cdp ? topFunctions((await cdp.send('Profiler.stop')).profile) : [];
    const elapsedS = (Date.now() - t0) / 1000;
    const rate = (k) => Math.round((s1[k[0]][k[1]] - s0[k[0]][k[1]]) / elapsedS);
    return {
      sensors,
      hz,
      seconds,
      loadedMs,
      liveAfterMs,
      windowMs: [t0 - loadStart, Date.now() - loadStart],
      rates,
      ...page0,
      ingestPerSecond: rate(['ingest', 'accepted']),
      sentPerSecond: rate(['ws', 'sent']),
      conflated: s1.ws.conflated - s0.ws.conflated,
      conflatedTotal: s1.ws.conflated,
      consoleErrors,
      top,
    };
  } finally {
    await context?.close().catch(() => {});
    for (const p of procs.reverse()) await stop(p);
    removeDir(dir);
  }
}

export function bridgeFloodAvailable() {
  return existsSync(bridgeBin) && existsSync(simBin);
}
