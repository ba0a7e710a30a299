// The rooms this page has joined (docs/PROTOCOL.md §2) and the client messages that join them
// (docs/PROTOCOL.md §3), with their correlation ids: joined now when the socket is open, and
// again after every reconnect.
import type { ClientMessage } from './protocol';

export class Subscriptions {
  private readonly rooms = new Set<string>();
  private nextId = 1;

  add(room: string): void {
    this.rooms.add(room);
  }

  /** false when the room was not joined. */
  remove(room: string): boolean {
    return this.rooms.delete(room);
  }

  subscribe(room: string): ClientMessage {
    return { type: 'subscribe', id: this.correlationId(), payload: { room } };
  }

  unsubscribe(room: string): ClientMessage {
    return { type: 'unsubscribe', payload: { room } };
  }

  /**
   * What goes out first on each connection. Messages are handled in order: the auth (when there
   * is a token) goes first, so the subscriptions behind it count.
   */
  greeting(token: string | null): ClientMessage[] {
    const out: ClientMessage[] = [];
    if (token !== null) out.push({ type: 'auth', id: this.correlationId(), payload: { token } });
    for (const room of this.rooms) out.push(this.subscribe(room));
    return out;
  }

  private correlationId(): string {
    return `c${this.nextId++}`;
  }
}
