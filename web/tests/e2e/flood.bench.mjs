// Flood check (not part of `npm run e2e`): the built page in Chromium with 1 000 sensors at
// 10 Hz each, fed by a stand-in WebSocket inside the page, reporting frame rate and long tasks.
//   node tests/e2e/flood.bench.mjs [sensors] [hz] [seconds]     (PROFILE=1 adds a CPU profile summary)
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort, removeDir, tempDir } from './harness.mjs';

const [sensors = 1000, hz = 10, seconds = 6] = process.argv.slice(2).map(Number);
const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

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

const dir = tempDir('sb-flood-');
const context = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  viewport: { width: 1920, height: 1080 },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript(
    ({ sensors, hz }) => {
      // A WebSocket stand-in that floods readings as JSON text, like the bridge would.
      class FloodSocket {
        constructor() {
          this.readyState = 0;
          this.seq = new Uint32Array(sensors);
          setTimeout(() => {
            this.readyState = 1;
            this.onopen?.({});
            this.emit({ type: 'connected', payload: { version: 'flood', heartbeatMs: 30000 } });
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
                const i = next++ % sensors;
                const seq = ++this.seq[i];
                this.emit({
                  type: 'sensor.reading',
                  payload: { sensorId: `flood-${String(i).padStart(4, '0')}`, value: Math.round((20 + 5 * Math.sin(seq / 10 + i)) * 100) / 100, unit: '°C', timestamp: now, receivedAt: now, seq, topic: 'sensors/flood' },
                });
              }
              window.__frames = (window.__frames ?? 0) + perTick;
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
    },
    { sensors, hz },
  );
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-sensor-id]').length === n, sensors, { timeout: 20_000 });
  const cdp = process.env.PROFILE ? await context.newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  const result = await page.evaluate(async (ms) => {
    const longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false });
    const framesAtStart = window.__frames;
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
    return {
      fps: Math.round((rafs / elapsed) * 1000),
      worstFrameGapMs: Math.round(worstGap),
      longTasks: longTasks.length,
      longestTaskMs: Math.round(Math.max(0, ...longTasks)),
      readingsPerSecond: Math.round(((window.__frames - framesAtStart) / elapsed) * 1000),
    };
  }, seconds * 1000);
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    const self = new Map();
    const dt = new Map();
    profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    for (const node of profile.nodes) {
      const key = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0));
    }
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
    for (const [k, us] of top) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
  await page.screenshot({ path: path.join(path.dirname(fileURLToPath(import.meta.url)), 'flood.png') });
  console.log(JSON.stringify({ sensors, hz, ...result }));
} finally {
  await context.close();
  server.close();
  removeDir(dir);
}
