// The WebSocket connection to the bridge: connect, resubscribe, reconnect with backoff and
// jitter, and an application heartbeat that notices dead sockets the browser has not.
import { isAuthClose } from './auth';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { encodeClientMessage, parseServerMessage, type ClientMessage, type ServerMessage } from './protocol';

export type ConnectionState = 'open' | 'connecting' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Local time of the next connection attempt while waiting to retry, else null. */
  retryAt: number | null;
  /** Consecutive failed attempts since the last good connection. */
  failures: number;
  /** Why the browser is not connected, when it is not. */
  reason: string;
}

/** The part of the browser's WebSocket this module uses (a fake stands in for it in tests). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface SocketOptions {
  url: string;
  onMessage: (msg: ServerMessage) => void;
  onStatus: (status: ConnectionStatus) => void;
  /** Called once per connection, after the subscriptions went out: time to refresh from REST. */
  onOpen?: () => void;
  /** The access token to send in an `auth` message after each connect, if any. */
  token?: () => string | null;
  /**
   * The bridge wants a token (none was sent) or refused the one sent (the close reason). The
   * socket then waits, without retrying, until retryNow() once there is a token.
   */
  onAuthRequired?: (reason: string) => void;
  createSocket?: (url: string) => WebSocketLike;
  timers?: Timers;
  backoff?: BackoffOptions;
  /** Give up on a connection attempt that has not opened after this long. */
  connectTimeoutMs?: number;
  /** Heartbeat period assumed until the server's `connected` message says otherwise. */
  defaultHeartbeatMs?: number;
  /** A socket that receives nothing this long after a ping is dead. */
  pongTimeoutMs?: number;
}

const OPEN = 1;
const CLOSE_HEARTBEAT = 4000;

const browserTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export class SensorSocket {
  private readonly rooms = new Set<string>();
  private readonly timers: Timers;
  private readonly backoff: BackoffOptions;
  private readonly create: (url: string) => WebSocketLike;
  private ws: WebSocketLike | null = null;
  private status: ConnectionStatus = { state: 'closed', retryAt: null, failures: 0, reason: 'not started' };
  private retryTimer: unknown = null;
  private connectTimer: unknown = null;
  private pingTimer: unknown = null;
  private pongTimer: unknown = null;
  private heartbeatMs: number;
  private running = false;
  private networkUp = true;
  private nextId = 1;
  private sentToken = false;

  constructor(private readonly opts: SocketOptions) {
    this.timers = opts.timers ?? browserTimers;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.create = opts.createSocket ?? ((url) => new WebSocket(url) as unknown as WebSocketLike);
    this.heartbeatMs = opts.defaultHeartbeatMs ?? 30_000;
  }

  get current(): ConnectionStatus {
    return this.status;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    this.clearRetry();
    this.dropSocket(1000, 'client stopped');
    this.setStatus({ state: 'closed', retryAt: null, failures: 0, reason: 'stopped' });
  }

  /** Joins a room now (when open) and after every reconnect. */
  subscribe(room: string): void {
    this.rooms.add(room);
    if (this.isOpen()) this.send({ type: 'subscribe', id: this.correlationId(), payload: { room } });
  }

  unsubscribe(room: string): void {
    if (!this.rooms.delete(room)) return;
    if (this.isOpen()) this.send({ type: 'unsubscribe', payload: { room } });
  }

  /** Skips the remaining backoff wait (a user click, the page becoming visible). */
  retryNow(): void {
    if (!this.running || !this.networkUp || this.ws) return;
    this.clearRetry();
    this.connect();
  }

  /** Browser online/offline events: no point retrying while the network is down. */
  setNetworkAvailable(up: boolean): void {
    if (this.networkUp === up) return;
    this.networkUp = up;
    if (!this.running) return;
    if (up) {
      this.retryNow();
    } else if (!this.isOpen()) {
      this.clearRetry();
      this.dropSocket(1000, 'network down');
      this.setStatus({ ...this.status, state: 'closed', retryAt: null, reason: 'network offline' });
    }
  }

  private isOpen(): boolean {
    return this.ws !== null && this.ws.readyState === OPEN;
  }

  private correlationId(): string {
    return `c${this.nextId++}`;
  }

  private send(msg: ClientMessage): void {
    try {
      this.ws?.send(encodeClientMessage(msg));
    } catch {
      // A send on a closing socket: onclose follows and handles it.
    }
  }

  private connect(): void {
    this.retryTimer = null;
    this.setStatus({ ...this.status, state: 'connecting', retryAt: null });
    let ws: WebSocketLike;
    try {
      ws = this.create(this.opts.url);
    } catch {
      this.scheduleRetry('could not create socket');
      return;
    }
    this.ws = ws;
    this.connectTimer = this.timers.setTimeout(() => {
      this.connectTimer = null;
      this.abandon(ws, 'connect timeout');
    }, this.opts.connectTimeoutMs ?? 10_000);
    ws.onopen = () => this.handleOpen(ws);
    ws.onmessage = (ev) => this.handleFrame(ws, ev.data);
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      if (isAuthClose(ev.code, ev.reason)) this.waitForToken(ev.reason);
      else this.abandon(ws, `closed (${ev.code})`);
    };
    ws.onerror = () => {
      /* onclose follows with the details */
    };
  }

  private handleOpen(ws: WebSocketLike): void {
    if (this.ws !== ws) return;
    this.clearTimer('connectTimer');
    this.setStatus({ state: 'open', retryAt: null, failures: this.status.failures, reason: '' });
    // Messages are handled in order: the auth goes first, so the subscriptions behind it count.
    const token = this.opts.token?.() ?? null;
    this.sentToken = token !== null;
    if (token !== null) this.send({ type: 'auth', id: this.correlationId(), payload: { token } });
    for (const room of this.rooms) this.send({ type: 'subscribe', id: this.correlationId(), payload: { room } });
    this.schedulePing();
    this.opts.onOpen?.();
  }

  private handleFrame(ws: WebSocketLike, data: unknown): void {
    if (this.ws !== ws) return;
    this.clearTimer('pongTimer'); // any frame proves the socket is alive
    const msg = parseServerMessage(data);
    if (!msg) return;
    if (msg.type === 'connected') {
      if (msg.payload.authRequired === true && !this.sentToken) {
        this.waitForToken('token required');
        return;
      }
      this.heartbeatMs = msg.payload.heartbeatMs;
      this.setStatus({ ...this.status, failures: 0 });
      this.schedulePing();
    }
    if (msg.type === 'pong') return;
    try {
      this.opts.onMessage(msg);
    } catch (err) {
      // A bug in a handler must not take the connection down with it.
      console.warn('sensor-bridge: message handler failed', err);
    }
  }

  /** Ping at half the server's heartbeat period, at least once a second and at most every 15 s. */
  private pingIntervalMs(): number {
    return Math.min(15_000, Math.max(1_000, Math.floor(this.heartbeatMs / 2)));
  }

  private schedulePing(): void {
    this.clearTimer('pingTimer');
    const ws = this.ws;
    this.pingTimer = this.timers.setTimeout(() => {
      this.pingTimer = null;
      if (this.ws !== ws || !this.isOpen()) return;
      this.send({ type: 'ping' });
      if (this.pongTimer === null) {
        const timeout = this.opts.pongTimeoutMs ?? Math.min(10_000, this.pingIntervalMs());
        this.pongTimer = this.timers.setTimeout(() => {
          this.pongTimer = null;
          if (this.ws === ws && ws) this.abandon(ws, 'heartbeat timeout');
        }, timeout);
      }
      this.schedulePing();
    }, this.pingIntervalMs());
  }

  /** Drops this socket without waiting for a close handshake and schedules the next attempt. */
  private abandon(ws: WebSocketLike, reason: string): void {
    if (this.ws !== ws) return;
    this.dropSocket(CLOSE_HEARTBEAT, reason);
    if (!this.running) return;
    if (!this.networkUp) {
      this.setStatus({ ...this.status, state: 'closed', retryAt: null, reason: 'network offline' });
      return;
    }
    this.scheduleRetry(reason);
  }

  /** No point retrying with the same (or no) token: wait for retryNow(). */
  private waitForToken(reason: string): void {
    this.dropSocket(1000, 'access token needed');
    this.setStatus({ state: 'closed', retryAt: null, failures: 0, reason: 'access token needed' });
    this.opts.onAuthRequired?.(reason);
  }

  private scheduleRetry(reason: string): void {
    const failures = this.status.failures;
    const delay = backoffDelay(failures, this.backoff);
    this.setStatus({ state: 'connecting', retryAt: this.timers.now() + delay, failures: failures + 1, reason });
    this.retryTimer = this.timers.setTimeout(() => this.connect(), delay);
  }

  private dropSocket(code: number, reason: string): void {
    this.clearTimer('connectTimer');
    this.clearTimer('pingTimer');
    this.clearTimer('pongTimer');
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.onopen = null;
    ws.onmessage = null;
    ws.onerror = null;
    ws.onclose = null;
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }

  private clearRetry(): void {
    this.clearTimer('retryTimer');
  }

  private clearTimer(name: 'retryTimer' | 'connectTimer' | 'pingTimer' | 'pongTimer'): void {
    const h = this[name];
    if (h !== null) this.timers.clearTimeout(h);
    this[name] = null;
  }

  private setStatus(next: ConnectionStatus): void {
    const prev = this.status;
    this.status = next;
    if (
      prev.state !== next.state ||
      prev.retryAt !== next.retryAt ||
      prev.failures !== next.failures ||
      prev.reason !== next.reason
    ) {
      this.opts.onStatus(next);
    }
  }
}
