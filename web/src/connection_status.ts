// What the socket tells the page about its connection, as named transitions; the listener
// hears of a status only when some field of it changed.

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

export function sameStatus(a: ConnectionStatus, b: ConnectionStatus): boolean {
  return a.state === b.state && a.retryAt === b.retryAt && a.failures === b.failures && a.reason === b.reason;
}

export class StatusTracker {
  private status: ConnectionStatus = { state: 'closed', retryAt: null, failures: 0, reason: 'not started' };

  constructor(private readonly onChange: (status: ConnectionStatus) => void) {}

  get current(): ConnectionStatus {
    return this.status;
  }

  /** A connection attempt starts now. */
  connecting(): void {
    this.set({ ...this.status, state: 'connecting', retryAt: null });
  }

  /** The socket opened; failures count on until the server's `connected` proves it good. */
  opened(): void {
    this.set({ state: 'open', retryAt: null, failures: this.status.failures, reason: '' });
  }

  /** The server greeted us: a good connection, the backoff starts over next time. */
  healthy(): void {
    this.set({ ...this.status, failures: 0 });
  }

  /** An attempt failed for `reason`; the next one is due at `retryAt`. */
  retrying(retryAt: number, reason: string): void {
    this.set({ state: 'connecting', retryAt, failures: this.status.failures + 1, reason });
  }

  /** No network: closed, no retry scheduled. */
  offline(): void {
    this.set({ ...this.status, state: 'closed', retryAt: null, reason: 'network offline' });
  }

  /** Closed until there is a token to send. */
  needsToken(): void {
    this.set({ state: 'closed', retryAt: null, failures: 0, reason: 'access token needed' });
  }

  stopped(): void {
    this.set({ state: 'closed', retryAt: null, failures: 0, reason: 'stopped' });
  }

  private set(next: ConnectionStatus): void {
    const prev = this.status;
    this.status = next;
    if (!sameStatus(prev, next)) this.onChange(next);
  }
}
