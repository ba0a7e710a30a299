import { beforeEach, describe, expect, it } from 'vitest';
import { LiveRooms } from '../../src/live_rooms';
import { RateController, type LoadSample } from '../../src/rate_control';
import { SensorSocket } from '../../src/socket';
import { FakeSocket } from './fake_socket';
import { FakeTimers } from './fake_timers';

const behind = (at: number): LoadSample => ({ at, frameDelayMs: 150, drawWaitMs: 0, lagMs: 0 });
const keepingUp = (at: number): LoadSample => ({ at, frameDelayMs: 16, drawWaitMs: 0, lagMs: 0 });

let timers: FakeTimers;
let sockets: FakeSocket[];

/** The page's socket (the real one, on a fake transport) and its rooms, connected. */
function connected(): { socket: SensorSocket; rooms: LiveRooms; ws: FakeSocket } {
  const socket = new SensorSocket({
    url: 'ws://bridge/ws',
    timers,
    backoff: { baseMs: 1000, capMs: 30_000, random: () => 0.5 },
    createSocket: (url) => {
      const ws = new FakeSocket(url);
      sockets.push(ws);
      return ws;
    },
    onMessage: () => {},
    onStatus: () => {},
  });
  const rooms = new LiveRooms(socket, new RateController(0));
  rooms.start();
  socket.start();
  sockets[0]!.accept();
  return { socket, rooms, ws: sockets[0]! };
}

/** What the page sent, as objects, without the pings. */
const sent = (ws: FakeSocket): unknown[] => ws.sent.map((s) => JSON.parse(s) as { type: string }).filter((m) => m.type !== 'ping');

beforeEach(() => {
  timers = new FakeTimers();
  sockets = [];
});

describe('LiveRooms', () => {
  it('joins the grid room at 2 readings a second per sensor', () => {
    const { ws } = connected();
    expect(sent(ws)).toEqual([{ type: 'subscribe', id: 'c1', payload: { room: 'sensor:*', maxRateHz: 2 } }]);
  });

  it('a page falling behind subscribes again to the same room at the lower rate, without leaving it', () => {
    const { rooms, ws } = connected();
    for (let at = 0; at < 4_000; at += 1_000) rooms.sample(behind(at));
    expect(sent(ws)).toEqual([
      { type: 'subscribe', id: 'c1', payload: { room: 'sensor:*', maxRateHz: 2 } },
      { type: 'subscribe', id: 'c2', payload: { room: 'sensor:*', maxRateHz: 1 } },
    ]);
    // Keeping up again: back up a rung after 10 s (settled at 5 s).
    for (let at = 4_000; at < 16_000; at += 1_000) rooms.sample(keepingUp(at));
    expect(sent(ws).slice(2)).toEqual([{ type: 'subscribe', id: 'c3', payload: { room: 'sensor:*', maxRateHz: 1.5 } }]);
  });

  it('a reconnect joins at the rate of the moment, and its snapshot is not judged', () => {
    const { rooms, ws } = connected();
    for (let at = 0; at < 4_000; at += 1_000) rooms.sample(behind(at));
    ws.drop();
    timers.advance(10_000);
    sockets[1]!.accept();
    rooms.connected(20_000);
    expect(sent(sockets[1]!)).toEqual([{ type: 'subscribe', id: 'c3', payload: { room: 'sensor:*', maxRateHz: 1 } }]);
    rooms.sample(behind(20_500));
    rooms.sample(behind(21_500));
    expect(sent(sockets[1]!)).toHaveLength(1);
  });

  it("the open chart's sensor at full rate (no maxRateHz), left when it closes, not rejoined after", () => {
    const { rooms, ws } = connected();
    rooms.follow('kitchen.temperature');
    rooms.unfollow('kitchen.temperature');
    rooms.follow('porch "Süd"');
    expect(sent(ws).slice(1)).toEqual([
      { type: 'subscribe', id: 'c2', payload: { room: 'sensor:kitchen.temperature' } },
      { type: 'unsubscribe', payload: { room: 'sensor:kitchen.temperature' } },
      { type: 'subscribe', id: 'c3', payload: { room: 'sensor:porch "Süd"' } },
    ]);
    ws.drop();
    timers.advance(10_000);
    sockets[1]!.accept();
    expect(sent(sockets[1]!)).toEqual([
      { type: 'subscribe', id: 'c4', payload: { room: 'sensor:porch "Süd"' } },
      { type: 'subscribe', id: 'c5', payload: { room: 'sensor:*', maxRateHz: 2 } },
    ]);
  });

  it('the same rate again sends nothing: a subscribe would only bring the snapshot again', () => {
    const { rooms, ws } = connected();
    rooms.start();
    expect(sent(ws)).toHaveLength(1);
  });
});
