// What the page asks the bridge for (docs/PROTOCOL.md §3): the grid's `sensor:*` at the rate
// rate_control.ts picks, subscribed again whenever that rate changes, and the open chart's own
// sensor at full rate through its exact room, left when the chart closes. A reading that both
// rooms match still comes once, at the faster rate; the store drops any seq it already has.
import { roomForAll, roomForSensor } from './protocol';
import type { LoadSample, RateController } from './rate_control';
import type { RoomOptions } from './subscriptions';

/** The part of socket.ts's SensorSocket used here. */
export interface RoomSocket {
  subscribe(room: string, opts?: RoomOptions): void;
  unsubscribe(room: string): void;
}

export class LiveRooms {
  constructor(
    private readonly socket: RoomSocket,
    private readonly rate: RateController,
  ) {}

  /** Joins the grid's room at the current rate (now when open, and after every reconnect). */
  start(): void {
    this.socket.subscribe(roomForAll(), { maxRateHz: this.rate.rateHz });
  }

  /**
   * One sample of the page's load. A new rate goes out as a new subscribe to the same room: the
   * protocol changes the room's rate in place (no unsubscribe, so nothing is missed in between)
   * and sends its snapshot again, which the store takes as old news.
   */
  sample(s: LoadSample): void {
    if (this.rate.observe(s) !== null) this.start();
  }

  /** A (re)connect at `now`: the snapshot that follows is not the page's load. */
  connected(now: number): void {
    this.rate.settle(now);
  }

  /** The chart of `id` opened: every reading of it, for the chart (and its tile). */
  follow(id: string): void {
    this.socket.subscribe(roomForSensor(id));
  }

  unfollow(id: string): void {
    this.socket.unsubscribe(roomForSensor(id));
  }
}
