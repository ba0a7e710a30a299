import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../src/clock';
import { DETAIL_KEY, DETAIL_POINTS, DetailController, HISTORY_LIMIT, sensorFromHash, type DetailDialog } from '../../src/detail_controller';
import type { SensorReading } from '../../src/protocol';
import { SensorStore } from '../../src/store';
import type { DetailModel } from '../../src/view/detail';
import { Freshness } from '../../src/view_model';
import { reading, series, T0 } from './fixtures';

class FakeDialog implements DetailDialog {
  openId: string | null = null;
  models: DetailModel[] = [];
  ages: string[] = [];
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
  /** The user closes it (Esc, the button, the backdrop). */
  close(): void {
    const id = this.openId;
    this.openId = null;
    if (id !== null) this.onClosed?.(id);
  }
}

interface Request {
  id: string;
  limit: number;
  signal: AbortSignal;
  answer: (readings: SensorReading[]) => void;
}

function setup(hash = '') {
  const store = new SensorStore();
  const view = new FakeDialog();
  const urls: string[] = [];
  const requests: Request[] = [];
  const dirty: string[] = [];
  const closed: string[] = [];
  const location = { hash, pathname: '/dash/', search: '?x=1' };
  const detail = new DetailController({
    view,
    store,
    freshness: new Freshness(store, new ServerClock()),
    address: { location, history: { replaceState: (_d, _u, url) => urls.push(url) } },
    fetchHistory: (id, limit, signal) => new Promise((answer) => requests.push({ id, limit, signal, answer })),
    markDirty: (key) => dirty.push(key),
    onClosed: (id) => closed.push(id),
    now: () => T0 + 10_000,
  });
  return { store, view, urls, requests, dirty, closed, location, detail };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('DetailController', () => {
  it('opens with the ring, links to #sensor=<id>, and merges the history when it comes', async () => {
    const { store, view, urls, requests, dirty, detail } = setup();
    for (const r of series(3, 1_000, { sensorId: 'kitchen:temp' })) store.applyReading(r);
    detail.open('kitchen:temp');
    expect(view.openId).toBe('kitchen:temp');
    expect(view.models).toHaveLength(1);
    expect(view.models[0]!.points.map((p) => p.seq)).toEqual([1, 2, 3]);
    expect(urls).toEqual(['#sensor=kitchen%3Atemp']);
    expect(requests.map((r) => [r.id, r.limit])).toEqual([['kitchen:temp', HISTORY_LIMIT]]);

    // The history overlaps the ring (seq 1 and 2): those points are not doubled.
    const history = [0, 1, 2].map((seq) => reading({ sensorId: 'kitchen:temp', seq, timestamp: T0 + (seq - 1) * 1_000 }));
    requests[0]!.answer(history);
    await settle();
    expect(detail.series.map((p) => p.seq)).toEqual([0, 1, 2, 3]);
    expect(dirty).toEqual([DETAIL_KEY]);
    detail.render();
    expect(view.models[1]!.points).toHaveLength(4);
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
    const { view, requests, detail } = setup();
    detail.open('nope');
    expect(view.openId).toBeNull();
    expect(requests).toEqual([]);
  });

  it('live readings of the open sensor become points, others do not; changes mark it dirty', () => {
    const { store, dirty, detail } = setup();
    store.applyReading(reading({ sensorId: 'a', seq: 1 }));
    store.applyReading(reading({ sensorId: 'b', seq: 1 }));
    detail.open('a');
    detail.readingApplied('a', reading({ sensorId: 'a', seq: 2, timestamp: T0 + 1_000 }));
    detail.readingApplied('b', reading({ sensorId: 'b', seq: 2, timestamp: T0 + 1_000 }));
    expect(detail.series.map((p) => p.seq)).toEqual([1, 2]);
    detail.changed('b');
    detail.changed('a');
    expect(dirty).toEqual([DETAIL_KEY]);
  });

  it('keeps at most DETAIL_POINTS points', () => {
    const { store, detail } = setup();
    store.applyReading(reading({ seq: 1 }));
    detail.open('temp-1');
    for (let i = 2; i <= DETAIL_POINTS + 10; i++) detail.readingApplied('temp-1', reading({ seq: i, timestamp: T0 + i }));
    expect(detail.series).toHaveLength(DETAIL_POINTS);
    expect(detail.series[0]!.seq).toBe(11);
  });

  it('closing aborts the history request, forgets the points, clears the hash and hands focus back', async () => {
    const { store, view, urls, requests, dirty, closed, detail } = setup();
    store.applyReading(reading());
    detail.open('temp-1');
    view.close();
    expect(requests[0]!.signal.aborted).toBe(true);
    expect(detail.series).toEqual([]);
    expect(urls).toEqual(['#sensor=temp-1', '/dash/?x=1']);
    expect(closed).toEqual(['temp-1']);
    requests[0]!.answer([reading({ seq: 0, timestamp: T0 - 1_000 })]); // too late
    await settle();
    expect(detail.series).toEqual([]);
    expect(dirty).toEqual([]);
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
