// The rooms this page has joined (docs/PROTOCOL.md §2), each with its options (`maxRateHz`), and
// the client messages that join them (docs/PROTOCOL.md §3), with their correlation ids: joined
// now when the socket is open, and again after every reconnect, where an exact room may resume
// with `since`.
import { sensorOfRoom, type ClientMessage } from './protocol';
import type { RoomRequestPayload } from './wire.gen';

/** How a room is joined: `maxRateHz` caps readings a second per sensor (absent: every reading). */
export interface RoomOptions {
  maxRateHz?: number;
}

/**
 * The seq an exact room resumes from on this connection (docs/PROTOCOL.md §3, Resume: since), or
 * undefined for a snapshot. Never asked for a prefix room, which refuses `since`.
 */
export type ResumePoint = (room: string) => number | undefined;

export class Subscriptions {
  private readonly rooms = new Map<string, RoomOptions>();
  private nextId = 1;

  /**
   * Joins `room` with `opts`, or changes the options of a room already joined. false when it was
   * joined with the same options already: nothing to send.
   */
  add(room: string, opts: RoomOptions = {}): boolean {
    const known = this.rooms.get(room);
    if (known !== undefined && known.maxRateHz === opts.maxRateHz) return false;
    this.rooms.set(room, { ...opts });
    return true;
  }

  /** false when the room was not joined. */
  remove(room: string): boolean {
    return this.rooms.delete(room);
  }

  /**
   * The subscribe for a room with its options as joined. Sent again for a room already joined it
   * changes the room's rate there and then, without leaving it: no reading or status is missed.
   */
  subscribe(room: string, since?: number): ClientMessage {
    const rate = this.rooms.get(room)?.maxRateHz;
    const payload: RoomRequestPayload = { room };
    if (rate !== undefined) payload.maxRateHz = rate;
    if (since !== undefined) payload.since = since;
    return { type: 'subscribe', id: this.correlationId(), payload };
  }

  unsubscribe(room: string): ClientMessage {
    return { type: 'unsubscribe', payload: { room } };
  }

  /**
   * What goes out first on each connection. Messages are handled in order: the auth (when there
   * is a token) goes first, so the subscriptions behind it count. Exact rooms come before prefix
   * rooms, each resuming from the seq `resume` gives it, if any: its replay then arrives before a
   * prefix room's snapshot brings the same sensor's latest, which would make the replayed
   * readings look old.
   */
  greeting(token: string | null, resume?: ResumePoint): ClientMessage[] {
    const out: ClientMessage[] = [];
    if (token !== null) out.push({ type: 'auth', id: this.correlationId(), payload: { token } });
    const rooms = [...this.rooms.keys()];
    for (const room of rooms.filter((r) => sensorOfRoom(r) !== null)) out.push(this.subscribe(room, resume?.(room)));
    for (const room of rooms.filter((r) => sensorOfRoom(r) === null)) out.push(this.subscribe(room));
    return out;
  }

  private correlationId(): string {
    return `c${this.nextId++}`;
  }
}
