import { describe, expect, it } from 'vitest';
import { isNewer, median, mergePoints, pointOf, SensorStore } from '../../src/store';
import { reading, series, T0 } from './fixtures';

describe('store merging', () => {
  it('adds a sensor on its first reading, then updates it', () => {
    const store = new SensorStore();
    expect(store.applyReading(reading())).toBe('added');
    expect(store.applyReading(reading({ seq: 2, value: 22 }))).toBe('updated');
    expect(store.get('temp-1')?.latest?.value).toBe(22);
    expect(store.size).toBe(1);
  });

  it('keeps the newer seq: late and duplicate frames are ignored', () => {
    const store = new SensorStore();
    store.applyReading(reading({ seq: 5, value: 25, receivedAt: T0 + 5000 }));
    expect(store.applyReading(reading({ seq: 4, value: 24, receivedAt: T0 + 4000 }))).toBe('ignored');
    expect(store.applyReading(reading({ seq: 5, value: 25, receivedAt: T0 + 5000 }))).toBe('ignored');
    expect(store.get('temp-1')?.latest?.value).toBe(25);
    expect(store.history('temp-1')).toHaveLength(1);
  });

  it('after a reconnect, the snapshot replaces what went stale meanwhile', () => {
    const store = new SensorStore();
    for (const r of series(5, 1000)) store.applyReading(r);
    const lastSeen = store.get('temp-1')!.latest!;
    // Offline for a minute: readings 6..60 were missed. The snapshot brings seq 61.
    const snap = reading({ seq: 61, value: 99, timestamp: T0 + 60_000, receivedAt: T0 + 60_005 });
    expect(store.applyReading(snap)).toBe('updated');
    expect(store.get('temp-1')!.latest).toEqual(snap);
    // The same reading again from REST changes nothing.
    expect(store.applyReading({ ...snap })).toBe('ignored');
    expect(lastSeen.seq).toBe(5);
    // And the tile is live again.
    expect(store.stateOf('temp-1', 0)).toBe('live');
  });

  it('accepts a lower seq when it is clearly newer (the bridge lost its sequence)', () => {
    const store = new SensorStore();
    store.applyReading(reading({ seq: 900, receivedAt: T0 }));
    const fresh = reading({ seq: 1, value: 30, receivedAt: T0 + 60_000 });
    expect(isNewer(fresh, store.get('temp-1')!.latest!)).toBe(true);
    expect(store.applyReading(fresh)).toBe('updated');
    expect(store.get('temp-1')!.latest?.value).toBe(30);
    expect(store.history('temp-1').map((p) => p.seq)).toEqual([1]);
  });

  it('bounds the history ring', () => {
    const store = new SensorStore({ historyCapacity: 10 });
    for (const r of series(25, 100)) store.applyReading(r);
    const h = store.history('temp-1');
    expect(h).toHaveLength(10);
    expect(h.map((p) => p.seq)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
  });

  it('charts sensor time unless the sensor clock is absurd', () => {
    expect(pointOf(reading({ timestamp: T0 - 3000, receivedAt: T0 })).t).toBe(T0 - 3000);
    expect(pointOf(reading({ timestamp: 0, receivedAt: T0 })).t).toBe(T0);
  });

  it('merges REST history into the ring and learns the interval from it', () => {
    const store = new SensorStore({ historyCapacity: 50 });
    const all = series(40, 2000);
    store.applyReading(all[39]!); // the page saw only the latest so far
    expect(store.usualIntervalMs('temp-1')).toBeNull();
    expect(store.mergeHistory('temp-1', all.slice(0, 39))).toBe(true);
    expect(store.history('temp-1').map((p) => p.seq)).toEqual(all.map((r) => r.seq));
    expect(store.usualIntervalMs('temp-1')).toBe(2000);
    expect(store.get('temp-1')!.latest?.seq).toBe(40);
    expect(store.mergeHistory('other', all)).toBe(false);
  });

  it('merges history and live points by time without duplicates, keeping the newest', () => {
    const a = [1, 2, 3].map((i) => ({ t: i * 10, v: i, seq: i }));
    const b = [3, 4, 5].map((i) => ({ t: i * 10, v: i, seq: i }));
    expect(mergePoints(b, a, 100).map((p) => p.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(mergePoints(a, b, 3).map((p) => p.seq)).toEqual([3, 4, 5]);
  });
});

describe('bridge instances: a seq is worth something only with the instance that gave it', () => {
  const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
  const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

  it('keeps the instance with the latest seq and resumes only on that instance', () => {
    const store = new SensorStore();
    store.applyReading(reading({ seq: 7 }), A);
    store.applyReading(reading({ seq: 8, receivedAt: T0 + 1007 }), A);
    expect(store.get('temp-1')?.instance).toBe(A);
    expect(store.resumeSeq('temp-1', A)).toBe(8);
    expect(store.resumeSeq('temp-1', B)).toBeUndefined();
    expect(store.resumeSeq('unknown', A)).toBeUndefined();
  });

  it("takes another instance's reading whatever its seq and clock, and drops the old seq", () => {
    const store = new SensorStore();
    for (const r of series(5, 1000, { seq: 0 }).map((r, i) => ({ ...r, seq: 500 + i }))) store.applyReading(r, A);
    const onA = store.get('temp-1')!.latest!;
    // The failover's snapshot: a lower seq, and a host clock a little behind A's.
    const snap = reading({ seq: 3, value: 30, timestamp: onA.timestamp, receivedAt: onA.receivedAt - 50 });
    expect(store.applyReading(snap, B)).toBe('updated');
    expect(store.get('temp-1')!.latest).toEqual(snap);
    expect(store.get('temp-1')!.instance).toBe(B);
    expect(store.history('temp-1')).toEqual([pointOf(snap)]); // the old sequence's points go
    expect(store.resumeSeq('temp-1', A)).toBeUndefined();
    expect(store.resumeSeq('temp-1', B)).toBe(3);
    // B's own sequence then orders B's readings: a late frame of B is old news.
    expect(store.applyReading(reading({ seq: 2, receivedAt: snap.receivedAt - 1000 }), B)).toBe('ignored');
    expect(store.applyReading(reading({ seq: 4, value: 31, receivedAt: onA.receivedAt + 1000 }), B)).toBe('updated');
    expect(store.resumeSeq('temp-1', B)).toBe(4);
  });

  it("the socket's copy of a reading REST gave first brings its instance; another reading of the same seq does not", () => {
    const store = new SensorStore();
    store.applyListed(reading({ seq: 3 }), store.liveMark()); // the page's first load: REST first
    expect(store.resumeSeq('temp-1', A)).toBeUndefined();
    expect(store.applyReading(reading({ seq: 3, receivedAt: T0 + 8 }), A)).toBe('ignored'); // another bridge's seq 3
    expect(store.resumeSeq('temp-1', A)).toBeUndefined();
    expect(store.applyReading(reading({ seq: 3 }), A)).toBe('ignored'); // the snapshot: the same reading
    expect(store.resumeSeq('temp-1', A)).toBe(3);
  });

  it('a REST answer (any bridge behind a balancer may give it) leaves the seq without an instance', () => {
    const store = new SensorStore();
    store.applyReading(reading({ seq: 8 }), A);
    expect(store.applyListed(reading({ seq: 8 }), store.liveMark())).toBe('ignored');
    expect(store.resumeSeq('temp-1', A)).toBe(8); // the same reading: nothing changes
    expect(store.applyListed(reading({ seq: 9, value: 22, receivedAt: T0 + 2000 }), store.liveMark())).toBe('updated');
    expect(store.get('temp-1')!.instance).toBeNull();
    expect(store.resumeSeq('temp-1', A)).toBeUndefined();
    // The next live reading of A is compared by seq (one side unknown) and gives the seq its instance back.
    expect(store.applyReading(reading({ seq: 10, receivedAt: T0 + 3000 }), A)).toBe('updated');
    expect(store.resumeSeq('temp-1', A)).toBe(10);
    store.mergeHistory('temp-1', [reading({ seq: 11, receivedAt: T0 + 4000 })]);
    expect(store.resumeSeq('temp-1', A)).toBeUndefined();
  });
});

describe('staleness', () => {
  it('learns the usual interval as the median inter-arrival time', () => {
    const store = new SensorStore();
    store.applyReading(reading({ seq: 1, receivedAt: T0 }));
    expect(store.usualIntervalMs('temp-1')).toBeNull();
    [2000, 2000, 50_000, 2000].reduce((t, gap, i) => {
      store.applyReading(reading({ seq: i + 2, receivedAt: t + gap }));
      return t + gap;
    }, T0);
    expect(store.usualIntervalMs('temp-1')).toBe(2000); // the one long gap does not skew it
  });

  it('is stale after 3× the usual interval, but never before 10 s', () => {
    const fast = new SensorStore();
    for (const r of series(10, 500)) fast.applyReading(r);
    expect(fast.staleAfterMs('temp-1')).toBe(10_000);
    expect(fast.stateOf('temp-1', 9_000)).toBe('live');
    expect(fast.stateOf('temp-1', 10_001)).toBe('stale');

    const slow = new SensorStore();
    for (const r of series(10, 60_000)) slow.applyReading(r);
    expect(slow.staleAfterMs('temp-1')).toBe(180_000);
    expect(slow.stateOf('temp-1', 170_000)).toBe('live');
    expect(slow.stateOf('temp-1', 190_000)).toBe('stale');
  });

  it('uses a default before anything is learned', () => {
    const store = new SensorStore({ defaultStaleMs: 300_000 });
    store.applyReading(reading());
    expect(store.staleAfterMs('temp-1')).toBe(300_000);
  });

  it('follows sensor.status, and a fresh reading brings an offline sensor back', () => {
    const store = new SensorStore();
    store.applyReading(reading({ seq: 1, receivedAt: T0 }));
    expect(store.applyStatus({ sensorId: 'temp-1', status: 'offline', since: T0 + 10 })).toBe('updated');
    expect(store.stateOf('temp-1', 0)).toBe('offline');
    // An older status does not override a newer one; the same one again changes nothing.
    expect(store.applyStatus({ sensorId: 'temp-1', status: 'online', since: T0 })).toBe('ignored');
    expect(store.applyStatus({ sensorId: 'temp-1', status: 'offline', since: T0 + 10 })).toBe('ignored');
    expect(store.stateOf('temp-1', 0)).toBe('offline');
    store.applyReading(reading({ seq: 2, receivedAt: T0 + 20 }));
    expect(store.stateOf('temp-1', 0)).toBe('live');
  });

  it('median handles odd, even and empty inputs', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('sensors known by their status alone', () => {
  it('a status for an unknown sensor adds it, without a reading, in that state', () => {
    const store = new SensorStore();
    // sensor-sim's will: sensors/sim-<client-id>/status "offline", and nothing else ever.
    expect(store.applyStatus({ sensorId: 'sim-7f3a', status: 'offline', since: T0 })).toBe('added');
    expect(store.size).toBe(1);
    expect(store.get('sim-7f3a')?.latest).toBeNull();
    expect(store.history('sim-7f3a')).toEqual([]);
    expect(store.stateOf('sim-7f3a', NaN)).toBe('offline');
    expect(store.applyStatus({ sensorId: 'sim-7f3a', status: 'online', since: T0 + 1000 })).toBe('updated');
    expect(store.stateOf('sim-7f3a', NaN)).toBe('live');
    expect(store.applyStatus({ sensorId: 'sim-7f3a', status: 'stale', since: T0 + 60_000 })).toBe('updated');
    expect(store.stateOf('sim-7f3a', NaN)).toBe('stale');
  });

  it('an online status-only sensor never turns stale on the page: there is no silence to measure', () => {
    const store = new SensorStore({ defaultStaleMs: 1000 });
    store.applyStatus({ sensorId: 'porch', status: 'online', since: T0 });
    expect(store.stateOf('porch', NaN)).toBe('live');
    expect(store.stateOf('porch', 1e9)).toBe('live');
    expect(store.usualIntervalMs('porch')).toBeNull();
  });

  it('its first reading fills it in, and ends an offline spell that began before it', () => {
    const store = new SensorStore();
    store.applyStatus({ sensorId: 'porch', status: 'offline', since: T0 });
    expect(store.applyReading(reading({ sensorId: 'porch', seq: 1, receivedAt: T0 + 5 }))).toBe('updated');
    expect(store.get('porch')?.latest?.seq).toBe(1);
    expect(store.history('porch').map((p) => p.seq)).toEqual([1]);
    expect(store.stateOf('porch', 0)).toBe('live');
    // A reading from before the spell (REST, late) does not end it.
    const late = new SensorStore();
    late.applyStatus({ sensorId: 'porch', status: 'offline', since: T0 + 100 });
    late.applyReading(reading({ sensorId: 'porch', seq: 1, receivedAt: T0 }));
    expect(late.stateOf('porch', 0)).toBe('offline');
  });

  it('history merged into a status-only sensor gives it its latest reading', () => {
    const store = new SensorStore();
    store.applyStatus({ sensorId: 'temp-1', status: 'online', since: T0 });
    expect(store.mergeHistory('temp-1', series(3, 1000))).toBe(true);
    expect(store.get('temp-1')?.latest?.seq).toBe(3);
  });
});

describe('REST status on (re)load', () => {
  it('applies the status of GET /api/sensors on the first load', () => {
    const store = new SensorStore();
    const mark = store.liveMark();
    expect(store.applyListed(reading({ status: 'offline' }), mark)).toBe('added');
    expect(store.applyListed(reading({ sensorId: 'cellar', status: 'stale' }), mark)).toBe('added');
    expect(store.applyListed(reading({ sensorId: 'hall', status: 'online' }), mark)).toBe('added');
    expect(store.stateOf('temp-1', 0)).toBe('offline');
    expect(store.stateOf('cellar', 0)).toBe('stale');
    expect(store.stateOf('hall', 0)).toBe('live');
  });

  it('after a reconnect the list corrects a state that changed during the outage, even with the same reading', () => {
    const store = new SensorStore();
    store.applyReading(reading({ seq: 7, receivedAt: T0 }));
    store.applyStatus({ sensorId: 'temp-1', status: 'offline', since: T0 + 100 });
    expect(store.stateOf('temp-1', 0)).toBe('offline');
    // Disconnected: the device came back (status topic "online"), no new reading. The refresh:
    const same = reading({ seq: 7, receivedAt: T0, status: 'online' });
    expect(store.applyListed(same, store.liveMark())).toBe('updated');
    expect(store.stateOf('temp-1', 0)).toBe('live');
    // And the other way round: it went offline while the page was away.
    expect(store.applyListed({ ...same, status: 'offline' }, store.liveMark())).toBe('updated');
    expect(store.stateOf('temp-1', 0)).toBe('offline');
    // The snapshot's copy of that same reading does not bring it back; only a newer reading does.
    expect(store.applyReading(reading({ seq: 7, receivedAt: T0 }))).toBe('ignored');
    expect(store.stateOf('temp-1', 0)).toBe('offline');
    store.applyReading(reading({ seq: 8, receivedAt: T0 + 500 }));
    expect(store.stateOf('temp-1', 0)).toBe('live');
  });

  it('an answer that says nothing new changes nothing', () => {
    const store = new SensorStore();
    const mark = store.liveMark();
    store.applyListed(reading({ status: 'online' }), mark);
    expect(store.applyListed(reading({ status: 'online' }), mark)).toBe('ignored');
    expect(store.applyListed(reading(), mark)).toBe('ignored');
  });

  it('a live sensor.status that came in while the list was in flight wins over the list', () => {
    const store = new SensorStore();
    store.applyReading(reading({ seq: 7, receivedAt: T0 }));
    const mark = store.liveMark(); // the request goes out
    store.applyStatus({ sensorId: 'temp-1', status: 'offline', since: T0 + 100 }); // the socket is faster
    expect(store.applyListed(reading({ seq: 7, receivedAt: T0, status: 'online' }), mark)).toBe('ignored');
    expect(store.stateOf('temp-1', 0)).toBe('offline');
    // The next refresh, requested after that status, applies again.
    expect(store.applyListed(reading({ seq: 7, receivedAt: T0, status: 'online' }), store.liveMark())).toBe('updated');
    expect(store.stateOf('temp-1', 0)).toBe('live');
  });
});

describe('discovery meta: name, device class, device', () => {
  const device = { id: 'zigbee2mqtt_0x1', name: 'Porch' };
  const named = { name: 'Porch Temperature', deviceClass: 'temperature', device };

  it('keeps what a reading carries; a later reading without it clears it (the config went)', () => {
    const store = new SensorStore();
    expect(store.applyReading(reading({ seq: 1, ...named }))).toBe('added');
    expect(store.get('temp-1')!.meta).toEqual(named);
    store.applyReading(reading({ seq: 2 }));
    expect(store.get('temp-1')!.meta).toEqual({});
  });

  it('a repeat of the latest reading (snapshot, REST) brings its meta; an older one does not', () => {
    const store = new SensorStore();
    store.applyReading(reading({ seq: 5, receivedAt: T0 }));
    // The same reading from the snapshot after a reconnect, now with a name: an update.
    expect(store.applyReading(reading({ seq: 5, receivedAt: T0, ...named }))).toBe('updated');
    expect(store.get('temp-1')!.meta.name).toBe('Porch Temperature');
    expect(store.applyReading(reading({ seq: 5, receivedAt: T0, ...named }))).toBe('ignored');
    // A late older frame without meta says nothing about the config now.
    expect(store.applyReading(reading({ seq: 4, receivedAt: T0 - 1_000 }))).toBe('ignored');
    expect(store.get('temp-1')!.meta).toEqual(named);
  });

  it('sensor.meta replaces all three fields; absent ones are cleared; unknown sensors are not added', () => {
    const store = new SensorStore();
    store.applyReading(reading(named));
    expect(store.applyMeta({ sensorId: 'temp-1', name: 'Porch Temp', device })).toBe('updated');
    expect(store.get('temp-1')!.meta).toEqual({ name: 'Porch Temp', device });
    expect(store.applyMeta({ sensorId: 'temp-1', name: 'Porch Temp', device: { ...device } })).toBe('ignored');
    expect(store.applyMeta({ sensorId: 'temp-1' })).toBe('updated');
    expect(store.get('temp-1')!.meta).toEqual({});
    expect(store.applyMeta({ sensorId: 'nobody', name: 'Ghost' })).toBe('ignored');
    expect(store.get('nobody')).toBeUndefined();
  });

  it('a status-only sensor takes a sensor.meta', () => {
    const store = new SensorStore();
    store.applyStatus({ sensorId: 'sim-1', status: 'online', since: T0 });
    expect(store.applyMeta({ sensorId: 'sim-1', device: { name: 'Sim' } })).toBe('updated');
    expect(store.get('sim-1')!.meta).toEqual({ device: { name: 'Sim' } });
  });

  it('a sensor.meta that came in while the REST list was in flight wins over the list', () => {
    const store = new SensorStore();
    expect(store.applyListed(reading({ seq: 7, receivedAt: T0, status: 'online', ...named }), store.liveMark())).toBe('added');
    const mark = store.liveMark(); // the next request goes out
    store.applyMeta({ sensorId: 'temp-1', name: 'Renamed', deviceClass: 'temperature', device }); // the socket is faster
    expect(store.applyListed(reading({ seq: 7, receivedAt: T0, status: 'online', ...named }), mark)).toBe('ignored');
    expect(store.get('temp-1')!.meta.name).toBe('Renamed');
    // A list requested after it applies.
    expect(store.applyListed(reading({ seq: 7, receivedAt: T0, status: 'online', ...named }), store.liveMark())).toBe('updated');
    expect(store.get('temp-1')!.meta.name).toBe('Porch Temperature');
  });

  it('history readings leave the meta alone', () => {
    const store = new SensorStore();
    store.applyReading(reading({ seq: 1, ...named }));
    store.mergeHistory('temp-1', series(3, 1000));
    expect(store.get('temp-1')!.meta).toEqual(named);
  });
});
