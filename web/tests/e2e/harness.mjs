// Process plumbing for the browser test: free loopback ports, a real mosquitto, the real
// bridge, publishing with mosquitto_pub. Everything started here is stopped by pid.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const children = new Set();

export function tempDir(prefix) {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor(what, check, timeoutMs, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
}

function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** Starts a child process; its output is kept (bounded) for failure reports. */
export function start(name, cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = { name, child, pid: child.pid, output: '', exited: false, code: null };
  const keep = (chunk) => {
    proc.output = (proc.output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  proc.done = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      proc.exited = true;
      proc.code = code ?? signal;
      children.delete(proc);
      resolve(proc.code);
    });
  });
  child.once('error', (err) => keep(`spawn error: ${err.message}\n`));
  children.add(proc);
  return proc;
}

/** SIGTERM by pid, SIGKILL if it has not exited after `graceMs`. */
export async function stop(proc, graceMs = 5000) {
  if (!proc || proc.exited) return proc?.code;
  try {
    process.kill(proc.pid, 'SIGTERM');
  } catch {
    return proc.code;
  }
  const timer = setTimeout(() => {
    if (!proc.exited) {
      try {
        process.kill(proc.pid, 'SIGKILL');
      } catch {}
    }
  }, graceMs);
  const code = await proc.done;
  clearTimeout(timer);
  return code;
}

export async function stopAll() {
  await Promise.all([...children].map((p) => stop(p)));
}

// Never leave a broker or bridge behind, even on a crash of the runner.
process.once('exit', () => {
  for (const p of children) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {}
  }
});

export async function startBroker(dir) {
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const proc = start('mosquitto', process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto', ['-c', conf]);
  await waitFor('mosquitto to listen', () => !proc.exited && canConnect(port), 5000);
  return { proc, port };
}

export async function startBridge({ bin, httpPort, mqttPort, db, webRoot, extraArgs = [] }) {
  const proc = start('sensor-bridge', bin, [
    '--http-port', String(httpPort),
    '--bind', '127.0.0.1',
    '--db', db,
    '--web-root', webRoot,
    '--mqtt-url', `tcp://127.0.0.1:${mqttPort}`,
    ...extraArgs,
  ]);
  const base = `http://127.0.0.1:${httpPort}`;
  try {
    await waitFor(
      'the bridge to report MQTT connected',
      async () => {
        if (proc.exited) throw new Error(`bridge exited (${proc.code}): ${proc.output}`);
        const res = await fetch(`${base}/api/health`);
        const body = await res.json();
        return body.mqtt === 'connected';
      },
      10_000,
    );
  } catch (err) {
    await stop(proc);
    throw new Error(`${err.message}\n--- bridge output ---\n${proc.output}`);
  }
  return { proc, base };
}

/** One message; `retain`: the broker keeps it for later subscribers (discovery configs). */
export function publish(mqttPort, topic, payload, { retain = false } = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      process.env.MOSQUITTO_PUB_BIN ?? 'mosquitto_pub',
      ['-h', '127.0.0.1', '-p', String(mqttPort), '-q', '1', ...(retain ? ['-r'] : []), '-t', topic, '-m', payload],
      { timeout: 5000 },
      (err, _stdout, stderr) => (err ? reject(new Error(`mosquitto_pub failed: ${stderr || err.message}`)) : resolve()),
    );
  });
}

/** Publishes many payloads on one topic through a single mosquitto_pub (-l: one per line). */
export function publishLines(mqttPort, topic, payloads) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.env.MOSQUITTO_PUB_BIN ?? 'mosquitto_pub',
      ['-h', '127.0.0.1', '-p', String(mqttPort), '-q', '1', '-t', topic, '-l'],
      { timeout: 10_000 },
      (err, _stdout, stderr) => (err ? reject(new Error(`mosquitto_pub -l failed: ${stderr || err.message}`)) : resolve()),
    );
    child.stdin.end(payloads.map((p) => `${p}\n`).join(''));
  });
}
