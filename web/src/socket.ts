// The WebSocket connection to the bridge (docs/PROTOCOL.md §3): connect, authenticate and
// resubscribe once the bridge has said who it is (`connected`, whose instance decides whether an
// exact room resumes with `since`), reconnect with backoff and jitter. The application heartbeat
// that notices dead sockets the browser has not is in heartbeat.ts, the status it reports in
// connection_status.ts.
import { isAuthClose } from './auth';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { StatusTracker, type ConnectionStatus } from './connection_status';
import { Heartbeat } from './heartbeat';
import { encodeClientMessage, parseServerMessage, type ClientMessage, type ConnectedMessage, type ServerMessage } from './protocol';
import { Subscriptions, type RoomOptions } from './subscriptions';
import { browserTimers, type Timers } from './timers';
import { browserSocket, discard, OPEN, type WebSocketLike } from './transport';

// The types of SocketOptions, for its users.
export type { ConnectionState, ConnectionStatus } from './connection_status';
export type { RoomOptions } from './subscriptions';
export type { Timers } from './timers';
export type { WebSocketLike } from './transport';

export interface SocketOptions {
  url: string;
  onMessage: (msg: ServerMessage) => void;
  onStatus: (status: ConnectionStatus) => void;
  /** Called once per connection, after the subscriptions went out: time to refresh from REST. */
  onOpen?: () => void;
  /** The access token to send in an `auth` message after each connect, if any. */
  token?: () => string | null;
  /**
   * The seq to resume an exact room from on the bridge whose `connected` named `instance`
   * (docs/PROTOCOL.md §3, Resume: since): a seq that instance gave, else undefined (a snapshot).
   * Asked for each exact room on every connect; never on a bridge that names no instance.
   */
  resumeFrom?: (room: string, instance: string) => number | undefined;
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

const CLOSE_HEARTBEAT = 4000;

export class SensorSocket {
  private readonly rooms = new Subscriptions();
  private readonly timers: Timers;
  private readonly backoff: BackoffOptions;
  private readonly create: (url: string) => WebSocketLike;
  private readonly status: StatusTracker;
  private readonly heartbeat: Heartbeat;
  private ws: WebSocketLike | null = null;
  private retryTimer: unknown = null;
  private connectTimer: unknown = null;
  private running = false;
  private networkUp = true;
  /** The greeting went out on the open socket: rooms joined from now on are sent at once. */
  private greeted = false;

  constructor(private readonly opts: SocketOptions) {
    this.timers = opts.timers ?? browserTimers;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.create = opts.createSocket ?? browserSocket;
    this.status = new StatusTracker((s) => opts.onStatus(s));
    this.heartbeat = new Heartbeat(this.timers, { defaultPeriodMs: opts.defaultHeartbeatMs, pongTimeoutMs: opts.pongTimeoutMs });
  }

  get current(): ConnectionStatus {
    return this.status.current;
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
    this.status.stopped();
  }

  /**
   * Joins a room now (when open) and after every reconnect. For a room already joined with other
   * options (a new `maxRateHz`) the subscribe goes again, which changes them (docs/PROTOCOL.md §3).
   */
  subscribe(room: string, opts: RoomOptions = {}): void {
    if (this.rooms.add(room, opts) && this.isGreeted()) this.send(this.rooms.subscribe(room));
  }

  unsubscribe(room: string): void {
    if (!this.rooms.remove(room)) return;
    if (this.isGreeted()) this.send(this.rooms.unsubscribe(room));
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
      this.status.offline();
    }
  }

  private isOpen(): boolean {
    return this.ws !== null && this.ws.readyState === OPEN;
  }

  /** Open, and the rooms went out after `connected`: until then a room waits for the greeting. */
  private isGreeted(): boolean {
    return this.greeted && this.isOpen();
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
    this.greeted = false;
    this.status.connecting();
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
    this.clearConnectTimer();
    this.status.opened();
    this.startHeartbeat(ws);
    this.opts.onOpen?.();
  }

  private handleFrame(ws: WebSocketLike, data: unknown): void {
    if (this.ws !== ws) return;
    this.heartbeat.alive(); // any frame proves the socket is alive
    const msg = parseServerMessage(data);
    if (!msg) return;
    if (msg.type === 'connected') {
      if (!this.greet(msg.payload)) return;
      this.heartbeat.setPeriod(msg.payload.heartbeatMs);
      this.status.healthy();
      this.startHeartbeat(ws);
    }
    if (msg.type === 'pong') return;
    try {
      this.opts.onMessage(msg);
    } catch (err) {
      // A bug in a handler must not take the connection down with it.
      console.warn('sensor-bridge: message handler failed', err);
    }
  }

  /**
   * The first messages, once the bridge said who it is: the auth (if there is a token), then every
   * room, an exact one with `since` when resumeFrom has a seq of this instance for it. false when
   * the bridge wants a token and there is none: the socket then waits for one.
   */
  private greet(p: ConnectedMessage['payload']): boolean {
    if (this.greeted) return true;
    const token = this.opts.token?.() ?? null;
    if (p.authRequired === true && token === null) {
      this.waitForToken('token required');
      return false;
    }
    const { instance } = p;
    const from = this.opts.resumeFrom;
    const resume = instance === undefined || from === undefined ? undefined : (room: string) => from(room, instance);
    for (const msg of this.rooms.greeting(token, resume)) this.send(msg);
    this.greeted = true;
    return true;
  }

  /** Pings on `ws` while it is the open socket; abandons it when a ping goes unanswered. */
  private startHeartbeat(ws: WebSocketLike): void {
    this.heartbeat.start(
      () => {
        if (this.ws !== ws || !this.isOpen()) return false;
        this.send({ type: 'ping' });
        return true;
      },
      () => {
        if (this.ws === ws) this.abandon(ws, 'heartbeat timeout');
      },
    );
  }

  /** Drops this socket without waiting for a close handshake and schedules the next attempt. */
  private abandon(ws: WebSocketLike, reason: string): void {
    if (this.ws !== ws) return;
    this.dropSocket(CLOSE_HEARTBEAT, reason);
    if (!this.running) return;
    if (!this.networkUp) {
      this.status.offline();
      return;
    }
    this.scheduleRetry(reason);
  }

  /** No point retrying with the same (or no) token: wait for retryNow(). */
  private waitForToken(reason: string): void {
    this.dropSocket(1000, 'access token needed');
    this.status.needsToken();
    this.opts.onAuthRequired?.(reason);
  }

  private scheduleRetry(reason: string): void {
    const delay = backoffDelay(this.status.current.failures, this.backoff);
    this.status.retrying(this.timers.now() + delay, reason);
    this.retryTimer = this.timers.setTimeout(() => this.connect(), delay);
  }

  private dropSocket(code: number, reason: string): void {
    this.clearConnectTimer();
    this.heartbeat.stop();
    this.greeted = false;
    const ws = this.ws;
    this.ws = null;
    if (ws) discard(ws, code, reason);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== null) this.timers.clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }
}
