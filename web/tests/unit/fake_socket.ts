// A WebSocket stand-in for the socket's tests: what the page sent, and the server's side to drive.
import type { WebSocketLike } from '../../src/socket';

export class FakeSocket implements WebSocketLike {
  readyState = 0;
  sent: string[] = [];
  closedWith: number | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  // Server side of the fake:
  /** Opens, then says `connected` as a bridge of `instance` does. */
  accept(heartbeatMs = 30_000, instance = '0123456789abcdef0123456789abcdef'): void {
    this.readyState = 1;
    this.onopen?.({});
    this.receive({ type: 'connected', payload: { version: '0.1.0', instance, heartbeatMs } });
  }
  receive(msg: unknown): void {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
  types(): string[] {
    return this.sent.map((s) => (JSON.parse(s) as { type: string }).type);
  }
}
