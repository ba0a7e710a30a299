import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../src/clock';
import { SensorStore } from '../../src/store';
import { detailModel, Freshness, NO_READING, tileModel } from '../../src/view_model';
import { reading, series, T0 } from './fixtures';

function setup(): { store: SensorStore; clock: ServerClock; fresh: Freshness } {
  const store = new SensorStore();
  const clock = new ServerClock();
  return { store, clock, fresh: new Freshness(store, clock) };
}

describe('Freshness', () => {
  it('measures age from receivedAt, through the clock offset when the bridge is ahead', () => {
    const { store, clock, fresh } = setup();
    store.applyReading(reading({ receivedAt: T0 }));
    const e = store.get('temp-1')!;
    expect(fresh.ageOf(e, T0 + 5_000)).toBe(5_000);
    expect(fresh.ageText(e, T0 + 5_000)).toBe('5 s ago');
    clock.observe(T0 + 2_000, T0); // the bridge's clock runs 2 s ahead of ours
    expect(fresh.ageOf(e, T0 + 5_000)).toBe(7_000);
  });

  it('a sensor known by its status alone has no age, says so, and is what its status says', () => {
    const { store, fresh } = setup();
    store.applyStatus({ sensorId: 'door', status: 'offline', since: T0 });
    const e = store.get('door')!;
    expect(fresh.ageOf(e, T0)).toBeNaN();
    expect(fresh.ageText(e, T0)).toBe(NO_READING);
    expect(fresh.stateOf(e, T0 + 3_600_000)).toBe('offline');
  });

  it('turns stale after 3x the learned interval and counts stale and offline sensors', () => {
    const { store, fresh } = setup();
    for (const r of series(5, 1_000)) store.applyReading(r); // temp-1, every second
    store.applyReading(reading({ sensorId: 'fresh-1', receivedAt: T0 + 20_000 }));
    store.applyStatus({ sensorId: 'gone', status: 'offline', since: T0 });
    const last = store.get('temp-1')!.latest!.receivedAt;
    expect(fresh.stateOf(store.get('temp-1')!, last + 9_000)).toBe('live'); // 10 s at least
    expect(fresh.stateOf(store.get('temp-1')!, last + 10_001)).toBe('stale');
    expect(fresh.count(last + 10_001)).toEqual({ stale: 1, offline: 1 });
    expect(fresh.count(last)).toEqual({ stale: 0, offline: 1 });
  });
});

describe('tileModel', () => {
  it('formats a number with its unit, the age and the sparkline points', () => {
    const { store, fresh } = setup();
    for (const r of series(3, 1_000, { unit: '%', value: 41.62 })) store.applyReading(r);
    const e = store.get('temp-1')!;
    const m = tileModel(e, fresh, e.latest!.receivedAt + 3_400);
    expect(m).toMatchObject({ value: '42', bool: null, unit: '%', kind: 'number', state: 'live', age: '3 s ago', receivedAt: e.latest!.receivedAt });
    expect(m.points.map((p) => p.seq)).toEqual([1, 2, 3]);
  });

  it('ages from the newest reading: a late copy of an older one (another room, a snapshot) does not turn it back', () => {
    const { store, fresh } = setup();
    const [r1, r2] = series(2, 1_000);
    store.applyReading(r2!);
    expect(store.applyReading(r1!)).toBe('ignored');
    expect(store.applyReading(r2!)).toBe('ignored');
    const m = tileModel(store.get('temp-1')!, fresh, r2!.receivedAt + 1_200);
    expect(m).toMatchObject({ value: '21.0', age: '1 s ago', receivedAt: r2!.receivedAt });
  });

  it('words a boolean by the sensor id and keeps the raw value', () => {
    const { store, fresh } = setup();
    store.applyReading(reading({ sensorId: 'front-door', value: false })); // its unit, °C, is not shown
    const m = tileModel(store.get('front-door')!, fresh, T0 + 7);
    expect(m).toMatchObject({ value: 'closed', bool: false, unit: '', kind: 'boolean', age: 'just now' });
  });

  it('a sensor without a reading: kind none, no value, no points, its status as state', () => {
    const { store, fresh } = setup();
    store.applyStatus({ sensorId: 'sim-7', status: 'stale', since: T0 });
    expect(tileModel(store.get('sim-7')!, fresh, T0)).toEqual({
      name: '',
      deviceClass: '',
      value: '',
      bool: null,
      unit: '',
      kind: 'none',
      state: 'stale',
      age: NO_READING,
      receivedAt: null,
      points: [],
    });
  });
});

describe('detailModel', () => {
  it('carries the reading, the age and the usual interval', () => {
    const { store, fresh } = setup();
    for (const r of series(4, 2_000)) store.applyReading(r);
    const e = store.get('temp-1')!;
    const m = detailModel(e, store, fresh, e.latest!.receivedAt + 61_000);
    expect(m).toEqual({ id: 'temp-1', name: '', deviceClass: '', reading: e.latest, state: 'stale', age: '1 min ago', usualIntervalMs: 2_000 });
  });

  it('carries the name and device class, which the tile formats by', () => {
    const { store, fresh } = setup();
    store.applyReading(reading({ sensorId: 'Porch.contact', value: false, name: 'Porch Door', deviceClass: 'door' }));
    const e = store.get('Porch.contact')!;
    expect(detailModel(e, store, fresh, T0)).toMatchObject({ name: 'Porch Door', deviceClass: 'door' });
    expect(tileModel(e, fresh, T0)).toMatchObject({ name: 'Porch Door', deviceClass: 'door', value: 'closed' });
    store.applyMeta({ sensorId: 'Porch.contact', name: 'Porch Lock', deviceClass: 'lock' });
    expect(tileModel(e, fresh, T0)).toMatchObject({ name: 'Porch Lock', deviceClass: 'lock', value: 'locked' });
  });

  it('says "no reading yet" and "learning" (null) for a status-only sensor', () => {
    const { store, fresh } = setup();
    store.applyStatus({ sensorId: 'sim-7', status: 'online', since: T0 });
    const m = detailModel(store.get('sim-7')!, store, fresh, T0);
    expect(m).toMatchObject({ reading: null, state: 'live', age: NO_READING, usualIntervalMs: null });
  });
});
