// Processes of a benchmark run: spawned without a shell, logged to files, watched line by line,
// stopped by pid (SIGTERM, a bounded wait, SIGKILL), never left running. Also what /proc says
// about them (CPU time, RSS) and small waiting helpers. Node 20 standard library only.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";

const live = new Set();
const usedPorts = new Set();

function clockTicks() {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}
export const CLK_TCK = clockTicks();

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// For races against a child's end: an unref'd timer does not keep the driver alive once done.
const deadline = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

// Polls cond() (sync or async) every intervalMs until it returns a truthy value; throws after timeoutMs.
export async function waitUntil(what, cond, timeoutMs, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value;
    try {
      value = await cond();
    } catch {
      value = undefined;
    }
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// A free TCP port on 127.0.0.1, never the same one twice in a run.
export async function freePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise((resolve, reject) => {
      const server = net.createServer();
      server.on("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port: p } = server.address();
        server.close(() => resolve(p));
      });
    });
    if (!usedPorts.has(port)) {
      usedPorts.add(port);
      return port;
    }
  }
  throw new Error("no free port found");
}

export function portOpen(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("connect", () => done(true));
    socket.on("error", () => done(false));
  });
}

export function httpGet(url, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    // A fresh connection each time: a kept-alive one the server has since closed hangs up.
    const req = http.get(url, { timeout: timeoutMs, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        if (body.length < 4 << 20) body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`${url}: no answer in ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

export async function httpGetJson(url, timeoutMs = 2000) {
  const { status, body } = await httpGet(url, timeoutMs);
  try {
    return { status, body: JSON.parse(body) };
  } catch (err) {
    throw new Error(`${url}: not JSON (${err.message})`);
  }
}

// CPU time (user + system, all threads, dead ones included) of a live process, in µs.
export function cpuUs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

// CPU time of this process's children that have ended and been reaped (cutime + cstime), in
// µs: the difference across a child's end is what that child used in its whole life.
export function reapedChildrenCpuUs() {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[13]) + Number(fields[14])) * 1e6) / CLK_TCK;
}

// A "Vm..." line of /proc/<pid>/status, in KiB (VmRSS now, VmHWM the peak so far).
export function vmKib(pid, key) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const match = status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"));
  return match ? Number(match[1]) : null;
}

export function loadavg() {
  const [one, five, fifteen] = fs.readFileSync("/proc/loadavg", "utf8").split(" ").map(Number);
  return { one, five, fifteen };
}

// Soft and hard limits on open files of this process (children inherit them).
export function openFilesLimit() {
  const limits = fs.readFileSync("/proc/self/limits", "utf8");
  const match = limits.match(/^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m);
  if (!match) return null;
  const value = (v) => (v === "unlimited" ? Infinity : Number(v));
  return { soft: value(match[1]), hard: value(match[2]) };
}

const MAX_LINES = 400;

// One spawned process: stdout and stderr go to <logDir>/<name>.log and are kept line by line
// (the last MAX_LINES of each) so callers can wait for a line or read the final JSON.
export class Child {
  constructor(name, cmd, args, { logDir, env, cwd } = {}) {
    this.name = name;
    this.cmd = cmd;
    this.args = args;
    this.logPath = path.join(logDir, `${name}.log`);
    this.log = fs.openSync(this.logPath, "w");
    fs.writeSync(this.log, `$ ${cmd} ${args.join(" ")}\n`);
    this.lines = { stdout: [], stderr: [] };
    this.waiters = [];
    this.exit = null;
    this.proc = spawn(cmd, args, { env: env ?? process.env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    this.pid = this.proc.pid;
    live.add(this);
    this.exited = new Promise((resolve) => {
      const finish = (exit) => {
        if (this.exit) return;
        this.exit = exit;
        live.delete(this);
        this.flushWaiters();
        resolve(exit);
      };
      // "close", not "exit": by then stdout and stderr are read to the end.
      this.proc.on("close", (code, signal) => finish({ code, signal }));
      this.proc.on("error", (err) => finish({ code: null, signal: null, error: err.message }));
    });
    for (const stream of ["stdout", "stderr"]) this.watch(stream);
  }

  watch(stream) {
    let partial = "";
    this.proc[stream].setEncoding("utf8");
    this.proc[stream].on("data", (chunk) => {
      if (this.log !== null) fs.writeSync(this.log, chunk);
      const parts = (partial + chunk).split("\n");
      partial = parts.pop();
      if (partial.length > 1 << 20) partial = "";
      for (const line of parts) this.addLine(stream, line);
    });
    this.proc[stream].on("end", () => {
      if (partial) this.addLine(stream, partial);
      partial = "";
    });
  }

  addLine(stream, line) {
    const lines = this.lines[stream];
    lines.push(line);
    if (lines.length > MAX_LINES) lines.shift();
    this.flushWaiters(stream, line);
  }

  flushWaiters(stream, line) {
    this.waiters = this.waiters.filter((w) => {
      if (stream !== undefined) {
        if (w.stream !== stream) return true;
        const match = line.match(w.regex);
        if (!match) return true;
        w.resolve(match);
        return false;
      }
      // The process is gone: nobody will print the line any more.
      w.reject(new Error(`${this.name} exited (${this.describeExit()}) before printing ${w.regex}; see ${this.logPath}`));
      return false;
    });
  }

  // Resolves with the match of the first line of `stream` (past or future) matching regex.
  waitForLine(stream, regex, timeoutMs) {
    for (const line of this.lines[stream]) {
      const match = line.match(regex);
      if (match) return Promise.resolve(match);
    }
    if (this.exit) return Promise.reject(new Error(`${this.name} exited (${this.describeExit()}); see ${this.logPath}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${this.name}: no line matching ${regex} within ${timeoutMs} ms; see ${this.logPath}`));
      }, timeoutMs);
      const waiter = {
        stream,
        regex,
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.waiters.push(waiter);
    });
  }

  describeExit() {
    if (!this.exit) return "running";
    if (this.exit.error) return this.exit.error;
    return this.exit.signal ? `signal ${this.exit.signal}` : `code ${this.exit.code}`;
  }

  // Waits for the process to end by itself (killing it after timeoutMs) and returns the JSON
  // object on its last non-empty stdout line.
  async result(timeoutMs) {
    const timedOut = await Promise.race([this.exited.then(() => false), deadline(timeoutMs).then(() => true)]);
    if (timedOut) {
      await this.stop();
      throw new Error(`${this.name} did not finish within ${timeoutMs} ms; see ${this.logPath}`);
    }
    const last = [...this.lines.stdout].reverse().find((l) => l.trim() !== "");
    try {
      return JSON.parse(last);
    } catch {
      const tail = this.lines.stderr.slice(-3).join(" | ");
      throw new Error(`${this.name} (${this.describeExit()}) printed no JSON result: ${tail}; see ${this.logPath}`);
    }
  }

  async stop(graceMs = 3000) {
    if (!this.exit) {
      this.proc.kill("SIGTERM");
      const gone = await Promise.race([this.exited.then(() => true), deadline(graceMs).then(() => false)]);
      if (!gone) {
        this.proc.kill("SIGKILL");
        await Promise.race([this.exited, deadline(2000)]);
      }
    }
    if (this.log !== null) {
      fs.closeSync(this.log);
      this.log = null;
    }
  }
}

// Stops every process still running, the most recently started first.
export async function stopAll() {
  const children = [...live].reverse();
  for (const child of children) await child.stop(2000);
}

// Ctrl-C or SIGTERM: stop everything we started, then exit. On any other exit, SIGKILL leftovers.
export function installCleanup() {
  let stopping = false;
  const onSignal = async (signal) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\nbench: ${signal}, stopping ${live.size} process(es)\n`);
    await stopAll();
    process.exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", () => {
    for (const child of live) {
      try {
        child.proc.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  });
}
