import { describe, expect, it } from 'vitest';
import type { RemoveOutcome } from '../../src/api';
import type { ChartModel } from '../../src/chart_controller';
import type { SeriesQuery } from '../../src/chart_range';
import { ServerClock } from '../../src/clock';
import {
  DETAIL_KEY,
  DetailController,
  removable,
  REMOVED_WAIT_MS,
  sensorFromHash,
  type DetailDialog,
} from '../../src/detail_controller';
import { StoreFeed } from '../../src/feed';
import type { SeriesAnswer, ServerMessage } from '../../src/protocol';
import { SensorStore } from '../../src/store';
import type { DetailModel, RemovalModel } from '../../src/view/detail';
import { Freshness } from '../../src/view_model';
import { FakeTimers } from './fake_timers';
import { reading, series, T0 } from './fixtures';

class FakeDialog implements DetailDialog {
  openId: string | null = null;
  models: DetailModel[] = [];
  charts: ChartModel[] = [];
  ages: string[] = [];
  removals: RemovalModel[] = [];
  private onClosed: ((id: string) => void) | null = null;
  open(id: string, onClosed: (id: string) => void): void {
    this.openId = id;
    this.onClosed = onClosed;
  }
  render(m: DetailModel): void {
    this.models.push(m);
  }
  renderAge(age: string, state: string): void {
    this.ages.push(`${age} ${state}`);
  }
  renderRemoval(m: RemovalModel): void {
    this.removals.push(m);
  }
  chartWidth(): number {
    return 640;
  }
  renderChart(m: ChartModel): void {
    this.charts.push(m);
  }
  /** The chart last drawn. */
  get chart(): ChartModel | undefined {
    return this.charts[this.charts.length - 1];
  }
  /** The removal step last drawn. */
  get removal(): RemovalModel | undefined {
    return this.removals[this.removals.length - 1];
  }
  /** The user closes it (Esc, the button, the backdrop). */
  close(): void {
    const id = this.openId;
    this.openId = null;
    if (id !== null) this.onClosed?.(id);
  }
}

interface Request {
  id: string;
  query: SeriesQuery;
  signal: AbortSignal;
  answer: (a: SeriesAnswer | null) => void;
}

/** A raw answer for the last hour up to NOW holding `points`. */
const NOW = T0 + 10_000;
function rawAnswer(id: string, points: { t: number; v: number | boolean | string }[]): SeriesAnswer {
  return { from: NOW - 3_600_000, to: NOW, sensorId: id, resolution: 'raw', tier: 'raw', heldFrom: T0 - 86_400_000, points };
}

interface Removal {
  id: string;
  answer: (outcome: RemoveOutcome) => void;
}

function setup(hash = '') {
  const store = new SensorStore();
  const removes: Removal[] = [];
  const forgotten: string[] = [];
  const timers = new FakeTimers();
  const view = new FakeDialog();
  const urls: string[] = [];
  const requests: Request[] = [];
  const dirty: string[] = [];
  const closed: string[] = [];
  const rooms: string[] = [];
  const location = { hash, pathname: '/dash/', search: '?x=1' };
  const detail = new DetailController({
    view,
    store,
    freshness: new Freshness(store, new ServerClock()),
    address: { location, history: { replaceState: (_d, _u, url) => urls.push(url) } },
    fetchSeries: (id, query, signal) => new Promise((answer) => requests.push({ id, query, signal, answer })),
    seriesHref: (id, query) => `/dash/api/sensors/${encodeURIComponent(id)}/series?${new URLSearchParams(query as Record<string, string>).toString()}`,
    markDirty: (key) => dirty.push(key),
    onClosed: (id) => closed.push(id),
    removeSensor: (id) => new Promise((answer) => removes.push({ id, answer })),
    forget: (id) => forgotten.push(id),
    follow: { follow: (id) => rooms.push(`+${id}`), unfollow: (id) => rooms.push(`-${id}`) },
    now: () => NOW,
    timers,
  });
  return { store, view, urls, requests, dirty, closed, location, detail, removes, forgotten, timers, rooms };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('DetailController', () => {
  it("opens, links to #sensor=<id>, asks for the last hour at the chart's width and draws the answer", async () => {
    const { store, view, urls, requests, dirty, detail } = setup();
    for (const r of series(3, 1_000, { sensorId: 'kitchen:temp' })) store.applyReading(r);
    detail.open('kitchen:temp');
    expect(view.openId).toBe('kitchen:temp');
    expect(view.models).toHaveLength(1);
    expect(urls).toEqual(['#sensor=kitchen%3Atemp']);
    expect(requests.map((r) => [r.id, r.query])).toEqual([['kitchen:temp', { from: '-1h', to: 'now', maxPoints: '640' }]]);
    expect(view.chart).toMatchObject({ id: 'kitchen:temp', unit: '°C', loading: true, series: null, window: { kind: 'range', range: '1h' } });

    requests[0]!.answer(rawAnswer('kitchen:temp', [{ t: T0, v: 20 }, { t: T0 + 1_000, v: 21 }, { t: T0 + 2_000, v: 22 }]));
    await settle();
    expect(dirty).toContain(DETAIL_KEY);
    detail.render();
    expect(view.chart).toMatchObject({ loading: false, live: true, from: NOW - 3_600_000, to: NOW, stats: { min: 20, max: 22, mean: 21, readings: 3 } });
    expect(view.chart!.series!.y).toEqual([20, 21, 22]);
    expect(view.chart!.csvHref).toBe(`/dash/api/sensors/kitchen%3Atemp/series?from=${NOW - 3_600_000}&to=${NOW}&maxPoints=10000&format=csv`);
  });

  it('a forgotten sensor closes its dialog; another sensor leaves it open', () => {
    const { store, view, closed, detail } = setup();
    for (const r of series(2, 1_000, { sensorId: 'a' })) store.applyReading(r);
    detail.open('a');
    detail.removed('b');
    expect(view.openId).toBe('a');
    detail.removed('a');
    expect(view.openId).toBeNull();
    expect(closed).toEqual(['a']);
  });

  it('an unknown sensor does not open', () => {
    const { view, requests, detail, rooms } = setup();
    detail.open('nope');
    expect(view.openId).toBeNull();
    expect(requests).toEqual([]);
    expect(view.charts).toEqual([]);
    expect(rooms).toEqual([]);
  });

  it("asks for every reading of the open sensor while it is open, and of that one only", () => {
    const { store, view, detail, rooms } = setup();
    for (const id of ['a', 'b']) store.applyReading(reading({ sensorId: id }));
    detail.open('a');
    expect(rooms).toEqual(['+a']);
    view.close();
    expect(rooms).toEqual(['+a', '-a']);
    detail.open('b');
    detail.open('a'); // another dialog over it (a #sensor= link): b's room goes
    expect(rooms).toEqual(['+a', '-a', '+b', '-b', '+a']);
    detail.open('a'); // the same again: nothing to join
    detail.removed('a'); // forgotten: the dialog closes and leaves the room
    expect(rooms).toEqual(['+a', '-a', '+b', '-b', '+a', '-a']);
  });

  it("the open sensor's readings through both rooms reach chart and tile once each, never backwards", async () => {
    const { store, view, requests, detail } = setup();
    const tile: number[] = [];
    // main.ts's listener: a reading the store took goes on the chart; the tile draws the latest.
    const feed = new StoreFeed(store, new ServerClock(), () => Promise.resolve(null), (id, _result, r) => {
      if (r !== null) detail.readingApplied(id, r);
      tile.push(store.get(id)!.latest!.seq);
    });
    const live = (seq: number): ServerMessage => ({
      type: 'sensor.reading',
      payload: reading({ sensorId: 'a', seq, value: seq, timestamp: T0 + seq * 100, receivedAt: T0 + seq * 100 + 5 }),
    });
    feed.onMessage(live(1));
    detail.open('a');
    requests[0]!.answer(rawAnswer('a', [{ t: T0 + 100, v: 1 }]));
    await settle();
    // Full rate through sensor:a (2, 3, 4), the grid's rate-limited sensor:* repeating 3 late,
    // the subscribe's snapshot repeating 4, and an older one after a newer.
    for (const seq of [2, 3, 3, 4, 4, 2, 5]) feed.onMessage(live(seq));
    detail.render();
    expect(view.chart!.series!.y).toEqual([1, 2, 3, 4, 5]);
    expect(tile).toEqual([1, 2, 3, 4, 5]);
  });

  it('live readings of the open sensor become points, others do not; changes mark it dirty', async () => {
    const { store, view, requests, dirty, detail } = setup();
    store.applyReading(reading({ sensorId: 'a', seq: 1 }));
    store.applyReading(reading({ sensorId: 'b', seq: 1 }));
    detail.open('a');
    requests[0]!.answer(rawAnswer('a', [{ t: T0, v: 21.5 }]));
    await settle();
    dirty.length = 0;
    detail.readingApplied('a', reading({ sensorId: 'a', seq: 2, value: 22, timestamp: T0 + 1_000 }));
    detail.readingApplied('b', reading({ sensorId: 'b', seq: 2, value: 23, timestamp: T0 + 1_000 }));
    detail.changed('b');
    detail.changed('a');
    expect(dirty).toEqual([DETAIL_KEY, DETAIL_KEY]); // the chart's point, then the store's change
    detail.render();
    expect(view.chart!.series!.t).toEqual([T0, T0 + 1_000]);
    expect(view.chart!.series!.y).toEqual([21.5, 22]);
  });

  it('the range buttons and the zoom reach the chart of the open dialog', async () => {
    const { store, view, requests, detail } = setup();
    store.applyReading(reading());
    detail.open('temp-1');
    detail.chart.selectRange('24h');
    expect(requests[0]!.signal.aborted).toBe(true);
    expect(requests[1]!.query).toEqual({ from: '-24h', to: 'now', maxPoints: '640' });
    detail.chart.zoom(T0 - 60_000, T0);
    expect(requests[2]!.query).toEqual({ from: String(T0 - 60_000), to: String(T0), maxPoints: '640' });
    requests[2]!.answer({ ...rawAnswer('temp-1', [{ t: T0 - 30_000, v: 20 }]), from: T0 - 60_000, to: T0 });
    await settle();
    detail.render();
    expect(view.chart).toMatchObject({ window: { kind: 'zoom', range: '24h' }, from: T0 - 60_000, to: T0, live: false });
  });

  it('closing aborts the series request, forgets the chart, clears the hash and hands focus back', async () => {
    const { store, view, urls, requests, dirty, closed, detail } = setup();
    store.applyReading(reading());
    detail.open('temp-1');
    view.close();
    expect(requests[0]!.signal.aborted).toBe(true);
    expect(urls).toEqual(['#sensor=temp-1', '/dash/?x=1']);
    expect(closed).toEqual(['temp-1']);
    dirty.length = 0;
    requests[0]!.answer(rawAnswer('temp-1', [{ t: T0, v: 1 }])); // too late
    await settle();
    detail.readingApplied('temp-1', reading({ seq: 2, timestamp: T0 + 1_000 }));
    detail.render();
    detail.tick(NOW);
    expect(dirty).toEqual([]);
    const drawn = view.charts.length;
    detail.chart.render({ id: 'temp-1', unit: '', deviceClass: '' });
    expect(view.charts).toHaveLength(drawn); // no chart without a dialog
  });

  it('a refresh reloads the open history and opens a linked sensor once it is known', async () => {
    const { store, view, requests, detail } = setup('#sensor=hall%2Emotion');
    detail.refreshed(); // not known yet
    expect(view.openId).toBeNull();
    store.applyReading(reading({ sensorId: 'hall.motion', value: true }));
    detail.refreshed();
    expect(view.openId).toBe('hall.motion');
    expect(requests).toHaveLength(1);
    detail.refreshed();
    expect(requests).toHaveLength(2);
    expect(requests[0]!.signal.aborted).toBe(true); // the newer request replaces it
    expect(requests[1]!.query).toEqual(requests[0]!.query);
  });

  it('ticks the age and state of the open sensor only', () => {
    const { store, view, detail } = setup();
    store.applyReading(reading({ receivedAt: T0 }));
    detail.tick(T0 + 4_000);
    expect(view.ages).toEqual([]);
    detail.open('temp-1');
    detail.tick(T0 + 4_000);
    expect(view.ages).toEqual(['4 s ago live']);
  });
});

describe('sensorFromHash', () => {
  it('reads #sensor=<id>, decoded; anything else is null', () => {
    expect(sensorFromHash('#sensor=kitchen.temp')).toBe('kitchen.temp');
    expect(sensorFromHash('#sensor=a%3Ab')).toBe('a:b');
    expect(sensorFromHash('#sensor=')).toBeNull();
    expect(sensorFromHash('#sensor=%E0%A4%A')).toBeNull(); // malformed escape
    expect(sensorFromHash('#other=x')).toBeNull();
    expect(sensorFromHash('')).toBeNull();
  });
});

describe('removing a sensor from its dialog', () => {
  /** An open dialog on `id`, which is offline (its status topic said so) unless `live`. */
  function opened(id = 'cellar.temp', live = false) {
    const ctx = setup();
    ctx.store.applyReading(reading({ sensorId: id, receivedAt: T0 + 9_000 }));
    if (!live) ctx.store.applyStatus({ sensorId: id, status: 'offline', since: T0 + 9_500 });
    ctx.detail.open(id);
    return ctx;
  }

  it('is offered for offline and stale sensors only', () => {
    expect(removable('offline')).toBe(true);
    expect(removable('stale')).toBe(true);
    expect(removable('live')).toBe(false);

    const live = opened('kitchen.temp', true);
    expect(live.view.removal).toEqual({ step: 'hidden', error: null });
    live.detail.askRemove(); // no button, and nothing happens if asked anyway
    void live.detail.confirmRemove();
    expect(live.view.removal?.step).toBe('hidden');
    expect(live.removes).toEqual([]);

    const offline = opened();
    expect(offline.view.removal).toEqual({ step: 'offer', error: null });

    // Stale by silence: far beyond the default 5 minutes since its reading.
    const stale = setup();
    stale.store.applyReading(reading({ sensorId: 'attic.temp', receivedAt: T0 - 10 * 60_000 }));
    stale.detail.open('attic.temp');
    expect(stale.view.models[0]!.state).toBe('stale');
    expect(stale.view.removal?.step).toBe('offer');
  });

  it('follows the state: a sensor that talks again loses the offer and its question', () => {
    const { store, view, detail } = opened();
    detail.askRemove();
    expect(view.removal?.step).toBe('confirm');
    store.applyReading(reading({ sensorId: 'cellar.temp', seq: 2, receivedAt: T0 + 9_900 }));
    detail.tick(T0 + 10_000);
    expect(view.removal?.step).toBe('hidden');
    store.applyStatus({ sensorId: 'cellar.temp', status: 'offline', since: T0 + 9_950 });
    detail.tick(T0 + 10_000);
    expect(view.removal?.step).toBe('offer'); // not straight back to the question
  });

  it('asks first; cancel sends nothing', () => {
    const { view, removes, detail } = opened();
    void detail.confirmRemove(); // not asked yet
    expect(removes).toEqual([]);
    detail.askRemove();
    expect(view.removal).toEqual({ step: 'confirm', error: null });
    detail.cancelRemove();
    expect(view.removal).toEqual({ step: 'offer', error: null });
    expect(removes).toEqual([]);
  });

  it('on 204 waits for sensor.removed, which closes the dialog; no local forget then', async () => {
    const { view, removes, forgotten, timers, detail, closed } = opened();
    detail.askRemove();
    const done = detail.confirmRemove();
    expect(view.removal?.step).toBe('busy');
    void detail.confirmRemove(); // a second click while busy sends nothing more
    expect(removes.map((r) => r.id)).toEqual(['cellar.temp']);
    removes[0]!.answer({ ok: true });
    await done;
    expect(view.removal?.step).toBe('busy'); // still open until the message comes
    detail.removed('cellar.temp'); // what main.ts does on sensor.removed
    expect(view.openId).toBeNull();
    expect(closed).toEqual(['cellar.temp']);
    timers.advance(REMOVED_WAIT_MS * 2);
    expect(forgotten).toEqual([]);
    expect(timers.pendingCount).toBe(0);
  });

  it('a sensor.removed before the 204 answer also leaves nothing to do', async () => {
    const { removes, forgotten, timers, detail } = opened();
    detail.askRemove();
    const done = detail.confirmRemove();
    detail.removed('cellar.temp');
    removes[0]!.answer({ ok: true });
    await done;
    timers.advance(REMOVED_WAIT_MS * 2);
    expect(forgotten).toEqual([]);
    expect(timers.pendingCount).toBe(0);
  });

  it('on 204 without a sensor.removed (socket down) forgets the sensor itself after REMOVED_WAIT_MS', async () => {
    const { removes, forgotten, timers, detail } = opened();
    detail.askRemove();
    const done = detail.confirmRemove();
    removes[0]!.answer({ ok: true });
    await done;
    timers.advance(REMOVED_WAIT_MS - 1);
    expect(forgotten).toEqual([]);
    timers.advance(1);
    expect(forgotten).toEqual(['cellar.temp']);
  });

  it("a refusal shows the bridge's message and keeps the dialog open; a retry clears it", async () => {
    const { view, removes, forgotten, timers, detail } = opened();
    detail.askRemove();
    const first = detail.confirmRemove();
    removes[0]!.answer({ ok: false, status: 403, message: 'removing a sensor needs a token with scope=admin' });
    await first;
    expect(view.openId).toBe('cellar.temp');
    expect(view.removal).toEqual({ step: 'offer', error: 'removing a sensor needs a token with scope=admin' });
    detail.tick(T0 + 10_000); // the error stays across ticks
    expect(view.removal?.error).toMatch(/scope=admin/);

    detail.askRemove();
    expect(view.removal).toEqual({ step: 'confirm', error: null });
    const second = detail.confirmRemove();
    removes[1]!.answer({ ok: false, status: 404, message: "sensor 'cellar.temp' not found" });
    await second;
    expect(view.removal).toEqual({ step: 'offer', error: "sensor 'cellar.temp' not found" });
    timers.advance(REMOVED_WAIT_MS * 2);
    expect(forgotten).toEqual([]);
  });

  it('an answer for a dialog since closed or reopened is not drawn into it', async () => {
    const { view, removes, detail } = opened();
    detail.askRemove();
    const done = detail.confirmRemove();
    view.close();
    detail.open('cellar.temp');
    expect(view.removal).toEqual({ step: 'offer', error: null });
    removes[0]!.answer({ ok: false, status: 0, message: 'the bridge did not answer' });
    await done;
    expect(view.removal).toEqual({ step: 'offer', error: null });
  });
});
