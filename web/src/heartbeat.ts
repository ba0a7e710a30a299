// The application heartbeat of one connection (docs/PROTOCOL.md §3): a ping at half the server's
// heartbeat period, and a socket that answers nothing within the pong timeout is dead, even
// when the browser still thinks it is open.
import type { Timers } from './timers';

export interface HeartbeatOptions {
  /** Heartbeat period assumed until setPeriod() (the server's `connected` message). */
  defaultPeriodMs?: number | undefined;
  /** A socket that receives nothing this long after a ping is dead (default: see pongTimeoutMs()). */
  pongTimeoutMs?: number | undefined;
}

export class Heartbeat {
  private periodMs: number;
  private pingTimer: unknown = null;
  private pongTimer: unknown = null;

  constructor(
    private readonly timers: Timers,
    private readonly opts: HeartbeatOptions = {},
  ) {
    this.periodMs = opts.defaultPeriodMs ?? 30_000;
  }

  /** The server's heartbeatMs; it stays in force across reconnects. */
  setPeriod(ms: number): void {
    this.periodMs = ms;
  }

  /** Ping at half the server's heartbeat period, at least once a second and at most every 15 s. */
  pingIntervalMs(): number {
    return Math.min(15_000, Math.max(1_000, Math.floor(this.periodMs / 2)));
  }

  pongTimeoutMs(): number {
    return this.opts.pongTimeoutMs ?? Math.min(10_000, this.pingIntervalMs());
  }

  /**
   * (Re)starts the ping cycle. `ping` sends one and returns false when the socket it was started
   * for is gone, which ends the cycle; `dead` is called when no frame came within the pong
   * timeout of a ping.
   */
  start(ping: () => boolean, dead: () => void): void {
    this.clearPing();
    this.pingTimer = this.timers.setTimeout(() => {
      this.pingTimer = null;
      if (!ping()) return;
      if (this.pongTimer === null) {
        this.pongTimer = this.timers.setTimeout(() => {
          this.pongTimer = null;
          dead();
        }, this.pongTimeoutMs());
      }
      this.start(ping, dead);
    }, this.pingIntervalMs());
  }

  /** Any frame proves the socket is alive: the pending pong deadline is off. */
  alive(): void {
    if (this.pongTimer !== null) this.timers.clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  stop(): void {
    this.clearPing();
    this.alive();
  }

  private clearPing(): void {
    if (this.pingTimer !== null) this.timers.clearTimeout(this.pingTimer);
    this.pingTimer = null;
  }
}
