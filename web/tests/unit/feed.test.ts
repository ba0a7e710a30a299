import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServerClock } from '../../src/clock';
import { StoreFeed } from '../../src/feed';
import type { SensorReading } from '../../src/protocol';
import { SensorStore } from '../../src/store';
import { reading, T0 } from './fixtures';

interface Change {
  id: string;
  result: string;
  seq: number | null;
}

function setup(latest: () => Promise<SensorReading[] | null> = () => Promise.resolve(null)) {
  const store = new SensorStore();
  const clock = new ServerClock();
  const changes: Change[] = [];
  let now = T0;
  const feed = new StoreFeed(store, clock, latest, (id, result, r) => changes.push({ id, result, seq: r?.seq ?? null }), () => now);
  return { store, clock, changes, feed, setNow: (t: number) => (now = t) };
}

afterEach(() => vi.restoreAllMocks());

describe('StoreFeed', () => {
  it('applies live readings and statuses, and reports only what the store accepted', () => {
    const { store, changes, feed } = setup();
    feed.onMessage({ type: 'sensor.reading', payload: reading({ seq: 1 }) });
    feed.onMessage({ type: 'sensor.reading', payload: reading({ seq: 2, value: 23 }) });
    feed.onMessage({ type: 'sensor.reading', payload: reading({ seq: 1 }) }); // a late duplicate
    feed.onMessage({ type: 'sensor.status', payload: { sensorId: 'door', status: 'offline', since: T0 } });
    feed.onMessage({ type: 'sensor.status', payload: { sensorId: 'door', status: 'offline', since: T0 } });
    feed.onMessage({ type: 'subscribed', payload: { room: 'sensor:*' } });
    expect(changes).toEqual([
      { id: 'temp-1', result: 'added', seq: 1 },
      { id: 'temp-1', result: 'updated', seq: 2 },
      { id: 'door', result: 'added', seq: null },
    ]);
    expect(store.get('temp-1')?.latest?.value).toBe(23);
  });

  it('a removed sensor leaves the store, and a reading after that brings it back as new', () => {
    const { store, changes, feed } = setup();
    feed.onMessage({ type: 'sensor.reading', payload: reading({ seq: 7 }) });
    feed.onMessage({ type: 'sensor.removed', payload: { sensorId: 'temp-1' } });
    feed.onMessage({ type: 'sensor.removed', payload: { sensorId: 'temp-1' } }); // already gone
    expect(store.get('temp-1')).toBeUndefined();
    feed.onMessage({ type: 'sensor.reading', payload: reading({ seq: 1 }) }); // seq starts again
    expect(changes).toEqual([
      { id: 'temp-1', result: 'added', seq: 7 },
      { id: 'temp-1', result: 'removed', seq: null },
      { id: 'temp-1', result: 'added', seq: 1 },
    ]);
  });

  it('a sensor.meta updates a known sensor (reported without a reading), and is dropped for an unknown one', () => {
    const { store, changes, feed } = setup();
    feed.onMessage({ type: 'sensor.reading', payload: reading({ seq: 1 }) });
    feed.onMessage({ type: 'sensor.meta', payload: { sensorId: 'temp-1', name: 'Porch Temperature', deviceClass: 'temperature' } });
    feed.onMessage({ type: 'sensor.meta', payload: { sensorId: 'temp-1', name: 'Porch Temperature', deviceClass: 'temperature' } });
    feed.onMessage({ type: 'sensor.meta', payload: { sensorId: 'ghost', name: 'Ghost' } });
    expect(changes).toEqual([
      { id: 'temp-1', result: 'added', seq: 1 },
      { id: 'temp-1', result: 'updated', seq: null },
    ]);
    expect(store.get('temp-1')!.meta).toEqual({ name: 'Porch Temperature', deviceClass: 'temperature' });
  });

  it('live readings calibrate the clock offset', () => {
    const { clock, feed, setNow } = setup();
    setNow(T0);
    feed.onMessage({ type: 'sensor.reading', payload: reading({ receivedAt: T0 + 3_000 }) }); // the bridge is 3 s ahead
    expect(clock.offsetMs).toBe(-3_000);
  });

  it('logs server errors and carries on', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { changes, feed } = setup();
    feed.onMessage({ type: 'error', payload: { code: 'RATE_LIMITED', message: 'slow down' } });
    expect(warn).toHaveBeenCalledWith('sensor-bridge: server error RATE_LIMITED: slow down');
    expect(changes).toEqual([]);
  });

  it('refresh applies the REST list with its statuses, and does not move the clock', async () => {
    const { store, clock, changes, feed } = setup(() =>
      Promise.resolve([reading({ sensorId: 'a', status: 'offline' }), reading({ sensorId: 'b', status: 'online' })]),
    );
    await feed.refresh();
    expect(changes.map((c) => `${c.id}:${c.result}`)).toEqual(['a:added', 'b:added']);
    expect(store.get('a')?.serverStatus).toBe('offline');
    expect(clock.offsetMs).toBe(0);
    await feed.refresh(); // the same list again changes nothing
    expect(changes).toHaveLength(2);
  });

  it('a live status that arrives while the list is in flight wins over the list', async () => {
    let answer: (list: SensorReading[] | null) => void = () => {};
    const { store, feed } = setup(() => new Promise((resolve) => (answer = resolve)));
    feed.onMessage({ type: 'sensor.reading', payload: reading({ sensorId: 'a', receivedAt: T0 }) });
    const done = feed.refresh();
    feed.onMessage({ type: 'sensor.status', payload: { sensorId: 'a', status: 'offline', since: T0 + 1 } });
    answer([reading({ sensorId: 'a', receivedAt: T0, status: 'online' })]);
    await done;
    expect(store.get('a')?.serverStatus).toBe('offline');
  });

  it('a bridge that does not answer leaves the store as it is', async () => {
    const { store, changes, feed } = setup(() => Promise.resolve(null));
    await feed.refresh();
    expect(store.size).toBe(0);
    expect(changes).toEqual([]);
  });

  it("tags live readings with the instance of the socket's bridge, REST ones with none", async () => {
    const listed = reading({ sensorId: 'door', seq: 3, value: true });
    const { store, feed } = setup(() => Promise.resolve([listed]));
    const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    feed.onMessage({ type: 'connected', payload: { version: '0.1.0', instance: A, heartbeatMs: 30000 } });
    feed.onMessage({ type: 'sensor.reading', payload: reading({ seq: 4 }) });
    await feed.refresh();
    expect(store.get('temp-1')?.instance).toBe(A);
    expect(store.resumeSeq('temp-1', A)).toBe(4);
    expect(store.get('door')?.instance).toBeNull();
    // A bridge too old to name an instance: its readings have none.
    feed.onMessage({ type: 'connected', payload: { version: '0.0.9', heartbeatMs: 30000 } });
    feed.onMessage({ type: 'sensor.reading', payload: reading({ seq: 5, receivedAt: T0 + 1000 }) });
    expect(store.get('temp-1')?.instance).toBeNull();
  });
});
