import { beforeEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../src/protocol';
import { SensorSocket, type ConnectionStatus } from '../../src/socket';
import { FakeSocket } from './fake_socket';
import { FakeTimers } from './fake_timers';

let timers: FakeTimers;
let sockets: FakeSocket[];
let statuses: ConnectionStatus[];
let messages: ServerMessage[];
let opens: number;

function make(random = 0.5): SensorSocket {
  const s = new SensorSocket({
    url: 'ws://bridge/ws',
    timers,
    backoff: { baseMs: 1000, capMs: 30_000, random: () => random },
    createSocket: (url) => {
      const ws = new FakeSocket(url);
      sockets.push(ws);
      return ws;
    },
    onMessage: (m) => messages.push(m),
    onStatus: (st) => statuses.push(st),
    onOpen: () => opens++,
  });
  s.subscribe('sensor:*');
  return s;
}

const last = <T>(a: T[]): T => a[a.length - 1] as T;

beforeEach(() => {
  timers = new FakeTimers();
  sockets = [];
  statuses = [];
  messages = [];
  opens = 0;
});

describe('SensorSocket', () => {
  it('connects, subscribes and forwards messages', () => {
    const s = make();
    s.start();
    expect(last(statuses).state).toBe('connecting');
    sockets[0]!.accept();
    expect(last(statuses).state).toBe('open');
    expect(sockets[0]!.types()).toEqual(['subscribe']);
    expect(JSON.parse(sockets[0]!.sent[0]!)).toMatchObject({ type: 'subscribe', payload: { room: 'sensor:*' } });
    expect(opens).toBe(1);
    sockets[0]!.receive({ type: 'sensor.reading', payload: { sensorId: 'a', value: 1, timestamp: 1, receivedAt: 1, seq: 1 } });
    sockets[0]!.receive('garbage');
    expect(messages.map((m) => m.type)).toEqual(['connected', 'sensor.reading']);
  });

  it('reconnects with doubling, jittered delays and resubscribes', () => {
    const s = make(0.5);
    s.start();
    sockets[0]!.accept();
    sockets[0]!.drop();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const st = last(statuses);
      expect(st.state).toBe('connecting');
      delays.push((st.retryAt as number) - timers.now());
      timers.advance(delays[i] as number);
      last(sockets).drop(); // the bridge is still down
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
    // The bridge is back.
    timers.advance((last(statuses).retryAt as number) - timers.now());
    last(sockets).accept();
    expect(last(statuses)).toMatchObject({ state: 'open', failures: 0 });
    expect(last(sockets).types()).toEqual(['subscribe']);
    expect(opens).toBe(2);
    // The schedule starts over after a good connection.
    last(sockets).drop();
    expect((last(statuses).retryAt as number) - timers.now()).toBe(500);
  });

  it('pings at half the heartbeat and drops a socket whose pong never comes', () => {
    const s = make();
    s.start();
    sockets[0]!.accept(4000);
    timers.advance(2000);
    expect(sockets[0]!.types()).toEqual(['subscribe', 'ping']);
    sockets[0]!.receive({ type: 'pong' });
    timers.advance(2000);
    expect(sockets[0]!.types()).toEqual(['subscribe', 'ping', 'ping']);
    expect(last(statuses).state).toBe('open');
    // Silence: the socket looks open but nothing comes back.
    timers.advance(2000);
    expect(sockets[0]!.closedWith).toBe(4000);
    expect(last(statuses).state).toBe('connecting');
    expect(last(statuses).reason).toBe('heartbeat timeout');
    expect(messages.some((m) => m.type === 'pong')).toBe(false);
  });

  it('gives up on a connection attempt that hangs', () => {
    const s = make();
    s.start();
    timers.advance(10_000);
    expect(sockets[0]!.closedWith).not.toBeNull();
    expect(last(statuses)).toMatchObject({ state: 'connecting', reason: 'connect timeout' });
  });

  it('retryNow skips the wait; stop closes for good', () => {
    const s = make();
    s.start();
    sockets[0]!.drop();
    expect(sockets).toHaveLength(1);
    s.retryNow();
    expect(sockets).toHaveLength(2);
    sockets[1]!.accept();
    s.stop();
    expect(sockets[1]!.closedWith).toBe(1000);
    expect(last(statuses).state).toBe('closed');
    timers.advance(120_000);
    expect(sockets).toHaveLength(2);
  });

  it('shows offline while the network is down and reconnects when it returns', () => {
    const s = make();
    s.start();
    sockets[0]!.accept();
    s.setNetworkAvailable(false);
    sockets[0]!.drop();
    expect(last(statuses).state).toBe('closed');
    timers.advance(60_000);
    expect(sockets).toHaveLength(1);
    s.setNetworkAvailable(true);
    expect(sockets).toHaveLength(2);
    expect(last(statuses).state).toBe('connecting');
  });

  it('a new rate for a joined room goes out at once as a subscribe; the same rate sends nothing', () => {
    const s = make();
    s.start();
    sockets[0]!.accept();
    s.subscribe('sensor:*', { maxRateHz: 1 });
    s.subscribe('sensor:*', { maxRateHz: 1 });
    expect(sockets[0]!.sent.map((m) => JSON.parse(m) as unknown)).toEqual([
      { type: 'subscribe', id: 'c1', payload: { room: 'sensor:*' } },
      { type: 'subscribe', id: 'c2', payload: { room: 'sensor:*', maxRateHz: 1 } },
    ]);
    // The next connection joins at the rate of the moment.
    s.subscribe('sensor:*', { maxRateHz: 0.5 });
    sockets[0]!.drop();
    timers.advance(10_000);
    sockets[1]!.accept();
    expect(JSON.parse(sockets[1]!.sent[0]!)).toEqual({ type: 'subscribe', id: 'c4', payload: { room: 'sensor:*', maxRateHz: 0.5 } });
  });

  it('subscribes immediately when already open, and survives a throwing handler', () => {
    const s = new SensorSocket({
      url: 'ws://x/ws',
      timers,
      createSocket: (url) => {
        const ws = new FakeSocket(url);
        sockets.push(ws);
        return ws;
      },
      onMessage: () => {
        throw new Error('boom');
      },
      onStatus: () => {},
    });
    s.start();
    expect(() => sockets[0]!.accept()).not.toThrow();
    s.subscribe('sensor:kitchen.*');
    expect(sockets[0]!.types()).toEqual(['subscribe']);
  });
});

describe('SensorSocket resuming on the same bridge instance', () => {
  const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
  const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

  /** A page following sensor:* and one exact room, whose store has seq 41 of it from A. */
  function makeResuming(asked: Array<[string, string]>): SensorSocket {
    const s = new SensorSocket({
      url: 'ws://bridge/ws',
      timers,
      backoff: { baseMs: 1000, capMs: 30_000, random: () => 0.5 },
      createSocket: (url) => {
        const ws = new FakeSocket(url);
        sockets.push(ws);
        return ws;
      },
      onMessage: (m) => messages.push(m),
      onStatus: (st) => statuses.push(st),
      resumeFrom: (room, instance) => {
        asked.push([room, instance]);
        return instance === A ? 41 : undefined;
      },
    });
    s.subscribe('sensor:*', { maxRateHz: 2 });
    s.subscribe('sensor:kitchen.temp');
    return s;
  }

  const payloads = (ws: FakeSocket): unknown[] => ws.sent.map((m) => (JSON.parse(m) as { payload?: unknown }).payload);

  function reconnect(): FakeSocket {
    last(sockets).drop();
    timers.advance((last(statuses).retryAt as number) - timers.now());
    return last(sockets);
  }

  it('subscribes only once the bridge has said who it is', () => {
    const s = makeResuming([]);
    s.start();
    sockets[0]!.readyState = 1;
    sockets[0]!.onopen?.({});
    s.subscribe('sensor:door'); // joined between open and connected: goes with the greeting, once
    expect(sockets[0]!.sent).toEqual([]);
    sockets[0]!.receive({ type: 'connected', payload: { version: '0.1.0', instance: A, heartbeatMs: 30000 } });
    expect(payloads(sockets[0]!)).toEqual([
      { room: 'sensor:kitchen.temp', since: 41 },
      { room: 'sensor:door', since: 41 },
      { room: 'sensor:*', maxRateHz: 2 },
    ]);
  });

  it('sends since on an exact room only to the instance that gave the seq', () => {
    const asked: Array<[string, string]> = [];
    const s = makeResuming(asked);
    s.start();
    sockets[0]!.accept(30_000, A);
    expect(payloads(sockets[0]!)).toEqual([{ room: 'sensor:kitchen.temp', since: 41 }, { room: 'sensor:*', maxRateHz: 2 }]);
    expect(asked).toEqual([['sensor:kitchen.temp', A]]);

    const onB = reconnect();
    onB.accept(30_000, B); // a failover: another instance, a snapshot
    expect(payloads(onB)).toEqual([{ room: 'sensor:kitchen.temp' }, { room: 'sensor:*', maxRateHz: 2 }]);
    expect(last(asked)).toEqual(['sensor:kitchen.temp', B]);

    const backOnA = reconnect();
    backOnA.accept(30_000, A);
    expect(payloads(backOnA)).toEqual([{ room: 'sensor:kitchen.temp', since: 41 }, { room: 'sensor:*', maxRateHz: 2 }]);
    // A room joined while connected wants its snapshot.
    s.subscribe('sensor:door');
    expect(last(payloads(backOnA))).toEqual({ room: 'sensor:door' });
  });

  it('resumes nothing on a bridge that names no instance', () => {
    const asked: Array<[string, string]> = [];
    const s = makeResuming(asked);
    s.start();
    sockets[0]!.readyState = 1;
    sockets[0]!.onopen?.({});
    sockets[0]!.receive({ type: 'connected', payload: { version: '0.0.9', heartbeatMs: 30000 } });
    expect(payloads(sockets[0]!)).toEqual([{ room: 'sensor:kitchen.temp' }, { room: 'sensor:*', maxRateHz: 2 }]);
    expect(asked).toEqual([]);
  });
});

describe('SensorSocket with an access token', () => {
  function makeWithToken(token: { value: string | null }, asked: string[]): SensorSocket {
    const s = new SensorSocket({
      url: 'ws://bridge/ws',
      timers,
      backoff: { baseMs: 1000, capMs: 30_000, random: () => 0.5 },
      createSocket: (url) => {
        const ws = new FakeSocket(url);
        sockets.push(ws);
        return ws;
      },
      onMessage: (m) => messages.push(m),
      onStatus: (st) => statuses.push(st),
      token: () => token.value,
      onAuthRequired: (reason) => asked.push(reason),
    });
    s.subscribe('sensor:*');
    return s;
  }

  it('sends auth before its subscriptions on every connect', () => {
    const asked: string[] = [];
    const s = makeWithToken({ value: 'tok-1234567890abcdef' }, asked);
    s.start();
    sockets[0]!.readyState = 1;
    sockets[0]!.onopen?.({});
    sockets[0]!.receive({ type: 'connected', payload: { version: '0.1.0', heartbeatMs: 30000, authRequired: true } });
    expect(sockets[0]!.types()).toEqual(['auth', 'subscribe']);
    expect(JSON.parse(sockets[0]!.sent[0]!)).toMatchObject({ type: 'auth', payload: { token: 'tok-1234567890abcdef' } });
    expect(asked).toEqual([]);
    sockets[0]!.drop();
    timers.advance((last(statuses).retryAt as number) - timers.now());
    expect(sockets).toHaveLength(2);
    sockets[1]!.accept();
    expect(sockets[1]!.types()).toEqual(['auth', 'subscribe']);
  });

  it('asks for a token when the bridge wants one, and waits for it without retrying', () => {
    const token = { value: null as string | null };
    const asked: string[] = [];
    const s = makeWithToken(token, asked);
    s.start();
    sockets[0]!.readyState = 1;
    sockets[0]!.onopen?.({});
    sockets[0]!.receive({ type: 'connected', payload: { version: '0.1.0', heartbeatMs: 30000, authRequired: true } });
    expect(asked).toEqual(['token required']);
    expect(sockets[0]!.closedWith).toBe(1000);
    expect(last(statuses)).toMatchObject({ state: 'closed', reason: 'access token needed', retryAt: null });
    timers.advance(120_000);
    expect(sockets).toHaveLength(1); // no retry loop against a bridge that will refuse

    token.value = 'tok-1234567890abcdef';
    s.retryNow();
    expect(sockets).toHaveLength(2);
    sockets[1]!.accept();
    expect(sockets[1]!.types()).toEqual(['auth', 'subscribe']);
  });

  it('a refused token (1008) asks again; another 1008 is just retried', () => {
    const asked: string[] = [];
    const s = makeWithToken({ value: 'wrong-token-1234567890' }, asked);
    s.start();
    sockets[0]!.accept();
    sockets[0]!.readyState = 3;
    sockets[0]!.onclose?.({ code: 1008, reason: 'invalid token' });
    expect(asked).toEqual(['invalid token']);
    expect(last(statuses).state).toBe('closed');

    s.retryNow();
    sockets[1]!.accept();
    sockets[1]!.readyState = 3;
    sockets[1]!.onclose?.({ code: 1008, reason: 'message rate limit exceeded' });
    expect(asked).toEqual(['invalid token']);
    expect(last(statuses).state).toBe('connecting');
  });
});
