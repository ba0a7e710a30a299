// The flood run shared by flood.e2e.mjs (a bounded check in ctest) and flood.bench.mjs (the
// manual benchmark): the built page (dist/) in Chromium, served from a loopback port, fed
// `sensors` × `hz` readings a second by a stand-in WebSocket inside the page (no bridge, no
// network: what is measured is the page), then measured phase by phase: animation frames, long
// tasks, tile updates (and how many a tile got within one frame) and console errors.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort, removeDir, tempDir } from './harness.mjs';

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** dist/ over HTTP on a free loopback port; every /api/ answer is an empty list. */
async function serveDist() {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/api/')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      return;
    }
    const file = path.join(webRoot, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
    if (!file.startsWith(webRoot)) return res.writeHead(403).end();
    try {
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** Runs in the page before its scripts: a WebSocket that floods readings as JSON text, like the bridge would. */
function installFloodSocket({ sensors, hz }) {
  class FloodSocket {
    constructor() {
      this.readyState = 0;
      this.seq = new Uint32Array(sensors);
      setTimeout(() => {
        this.readyState = 1;
        this.onopen?.({});
        this.emit({ type: 'connected', payload: { version: 'flood', instance: 'f100d000000000000000000000000000', heartbeatMs: 30000 } });
        // Timers drift under load: emit by elapsed time so the rate is what was asked for.
        let next = 0;
        let owed = 0;
        let last = performance.now();
        this.timer = setInterval(() => {
          const now = Date.now();
          const t = performance.now();
          owed += ((t - last) / 1000) * sensors * hz;
          last = t;
          const perTick = Math.floor(owed);
          owed -= perTick;
          for (let k = 0; k < perTick; k++) {
            // window.__floodBurst readings of one sensor in a row (a SenML pack), then the next sensor's.
            const i = Math.floor(next++ / (window.__floodBurst ?? 1)) % sensors;
            const seq = ++this.seq[i];
            this.emit({
              type: 'sensor.reading',
              payload: { sensorId: `flood-${String(i).padStart(4, '0')}`, value: Math.round((20 + 5 * Math.sin(seq / 10 + i)) * 100) / 100, unit: '°C', timestamp: now, receivedAt: now, seq, topic: 'sensors/flood' },
            });
          }
          window.__readings = (window.__readings ?? 0) + perTick;
        }, 10);
      }, 50);
    }
    emit(msg) {
      this.onmessage?.({ data: JSON.stringify(msg) });
    }
    send() {}
    close() {
      clearInterval(this.timer);
      this.readyState = 3;
    }
  }
  window.WebSocket = FloodSocket;
}

/** Runs in the page: switches the flood to `burst` and measures for `ms` while it goes on. */
async function measure({ ms, burst }) {
  window.__floodBurst = burst;
  const longTasks = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
  observer.observe({ type: 'longtask', buffered: false });
  // Tile updates: a value rendered is a text change inside a tile's [data-field="value"]. Each
  // is counted against the animation frame it belongs to: document.timeline.currentTime is the
  // frame's time, the same in every callback of a frame and in the tasks until the next one.
  const updatedTiles = new Set();
  const perTileFrame = new Map();
  let updates = 0;
  let maxUpdatesPerTileFrame = 0;
  const mutations = new MutationObserver((records) => {
    const frame = document.timeline.currentTime;
    for (const r of records) {
      const valueEl = (r.target.nodeType === 1 ? r.target : r.target.parentElement)?.closest('[data-field="value"]');
      const id = valueEl?.closest('[data-sensor-id]')?.getAttribute('data-sensor-id');
      if (!id) continue;
      updates++;
      updatedTiles.add(id);
      const key = `${id}@${frame}`;
      const n = (perTileFrame.get(key) ?? 0) + 1;
      perTileFrame.set(key, n);
      maxUpdatesPerTileFrame = Math.max(maxUpdatesPerTileFrame, n);
    }
  });
  mutations.observe(document.querySelector('#grid'), { subtree: true, childList: true, characterData: true });
  // Tiles on screen.
  const visible = await new Promise((resolve) => {
    const io = new IntersectionObserver((entries) => {
      io.disconnect();
      resolve(entries.filter((e) => e.isIntersecting).length);
    });
    document.querySelectorAll('[data-sensor-id]').forEach((el) => io.observe(el));
  });
  const readingsAtStart = window.__readings;
  let rafs = 0;
  let worstGap = 0;
  let last = performance.now();
  const start = last;
  await new Promise((resolve) => {
    const loop = (t) => {
      rafs++;
      worstGap = Math.max(worstGap, t - last);
      last = t;
      if (t - start < ms) requestAnimationFrame(loop);
      else resolve();
    };
    requestAnimationFrame(loop);
  });
  const elapsed = performance.now() - start;
  observer.disconnect();
  mutations.disconnect();
  return {
    fps: Math.round((rafs / elapsed) * 10_000) / 10,
    worstFrameGapMs: Math.round(worstGap),
    longTasks: longTasks.length,
    longestTaskMs: Math.round(Math.max(0, ...longTasks)),
    readingsPerSecond: Math.round(((window.__readings - readingsAtStart) / elapsed) * 1000),
    visibleTiles: visible,
    updatedTiles: updatedTiles.size,
    tileUpdatesPerSecond: Math.round((updates / elapsed) * 1000),
    maxUpdatesPerTileFrame,
  };
}

/**
 * One page, flooded through `phases` ({ burst, seconds } each: `burst` readings of a sensor back
 * to back). Returns the figures of each phase, the console errors, and (with `profile`) the top
 * self-time functions of a CPU profile over all phases.
 */
export async function runFlood({
  sensors = 1000,
  hz = 10,
  phases = [{ burst: 1, seconds: 3 }],
  viewport = { width: 1920, height: 1080 },
  profile = false,
  screenshot = null,
} = {}) {
  const { server, url } = await serveDist();
  const dir = tempDir('sb-flood-');
  const consoleErrors = [];
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    viewport,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
    await page.addInitScript(installFloodSocket, { sensors, hz });
    await page.goto(url);
    await page.waitForFunction((n) => document.querySelectorAll('[data-sensor-id]').length === n, sensors, { timeout: 20_000 });
    const cdp = profile ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const results = [];
    for (const { burst, seconds } of phases) {
      results.push({ sensors, hz, burst, seconds, ...(await page.evaluate(measure, { ms: seconds * 1000, burst })) });
    }
    const top = cdp ? topFunctions((await cdp.send('Profiler.stop')).profile) : [];
    if (screenshot) await page.screenshot({ path: screenshot });
    return { phases: results, consoleErrors, top };
  } finally {
    await context.close();
    server.close();
    removeDir(dir);
  }
}

/** The `n` functions with the most self time in a CDP CPU profile, as printable lines. */
export function topFunctions(profile, n = 25) {
  const self = new Map();
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  for (const node of profile.nodes) {
    const key = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0));
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
}
