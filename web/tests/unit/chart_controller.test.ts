import { describe, expect, it } from 'vitest';
import { ChartController, PENDING_LIMIT, type ChartModel, type ChartView } from '../../src/chart_controller';
import { queryString, type SeriesQuery } from '../../src/chart_range';
import type { SeriesAnswer } from '../../src/protocol';
import { T0 } from './fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

class FakeChart implements ChartView {
  width = 800;
  models: ChartModel[] = [];
  chartWidth(): number {
    return this.width;
  }
  renderChart(m: ChartModel): void {
    this.models.push(m);
  }
  get last(): ChartModel {
    return this.models[this.models.length - 1]!;
  }
}

interface Request {
  id: string;
  query: SeriesQuery;
  signal: AbortSignal;
  answer: (a: SeriesAnswer | null) => void;
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** A chart on 'temp-1'; the page's clock is `clock.now`, the bridge's runs `skew` ahead. */
function setup(skew = 0) {
  const view = new FakeChart();
  const requests: Request[] = [];
  const clock = { now: T0 };
  let dirty = 0;
  const chart = new ChartController({
    view,
    fetchSeries: (id, query, signal) => new Promise((answer) => requests.push({ id, query, signal, answer })),
    seriesHref: (id, query) => `/api/sensors/${id}/series?${queryString(query)}`,
    markDirty: () => dirty++,
    now: () => clock.now,
  });
  const draw = (): ChartModel => {
    chart.render({ id: 'temp-1', unit: '°C', deviceClass: '' });
    return view.last;
  };
  /** Answers the newest request with raw points for its range, ending at the bridge's now. */
  const answerRaw = async (points: { t: number; v: number | boolean | string }[], span = HOUR): Promise<void> => {
    const to = clock.now + skew;
    requests[requests.length - 1]!.answer({ from: to - span, to, sensorId: 'temp-1', resolution: 'raw', tier: 'raw', heldFrom: 0, points });
    await settle();
  };
  return { view, requests, clock, chart, draw, answerRaw, dirtyCount: () => dirty };
}

describe('ChartController', () => {
  it('opens on the last hour at a point per pixel; the range buttons ask again, the newest answer wins', async () => {
    const { requests, chart, draw, answerRaw, view } = setup();
    chart.open('temp-1');
    expect(requests.map((r) => r.query)).toEqual([{ from: '-1h', to: 'now', maxPoints: '800' }]);
    expect(draw()).toMatchObject({ loading: true, series: null, live: false, window: { kind: 'range', range: '1h' } });
    view.width = 5_000;
    chart.selectRange('24h');
    expect(requests[0]!.signal.aborted).toBe(true);
    expect(requests[1]!.query).toEqual({ from: '-24h', to: 'now', maxPoints: '2000' });
    requests[0]!.answer({ from: 0, to: 1, sensorId: 'temp-1', resolution: 'raw', tier: 'raw', heldFrom: 0, points: [{ t: 1, v: 99 }] }); // too late
    await answerRaw([{ t: T0 - HOUR, v: 20 }], DAY);
    const m = draw();
    expect(m).toMatchObject({ loading: false, failed: false, live: true, from: T0 - DAY, to: T0, window: { kind: 'range', range: '24h' } });
    expect(m.series!.y).toEqual([20]);
    expect(m.csvHref).toBe(`/api/sensors/temp-1/series?from=${T0 - DAY}&to=${T0}&maxPoints=10000&format=csv`);
    expect(m.csvName).toBe(`temp-1_${new Date(T0 - DAY).toISOString().slice(0, 19).replace(/:/g, '-')}Z_${new Date(T0).toISOString().slice(0, 19).replace(/:/g, '-')}Z.csv`);
  });

  it('slides with the bridge\'s clock once a second, dropping what left the range', async () => {
    const { clock, chart, draw, answerRaw } = setup(5_000); // the bridge runs 5 s ahead
    chart.open('temp-1');
    await answerRaw([{ t: T0 - HOUR + 6_000, v: 1 }, { t: T0 - HOUR + 7_000, v: 2 }, { t: T0 - 1_000, v: 3 }]);
    expect(draw()).toMatchObject({ from: T0 + 5_000 - HOUR, to: T0 + 5_000 });
    clock.now += 2_500;
    chart.tick();
    const m = draw();
    expect([m.from, m.to]).toEqual([T0 + 7_500 - HOUR, T0 + 7_500]);
    expect(m.series!.y).toEqual([2, 3]); // 1 is gone; 2, just outside, draws the line in from the left
    expect(m.stats.readings).toBe(1);
  });

  it('adds live readings at the right edge while the range reaches now; readings the answer held are not doubled', async () => {
    const { clock, chart, draw, answerRaw, dirtyCount } = setup();
    chart.open('temp-1');
    chart.reading({ t: T0 - 2_000, v: 20 }); // while the answer is on its way: it will hold this one
    chart.reading({ t: T0 + 500, v: 22 }); // ...but not this one
    await answerRaw([{ t: T0 - 2_000, v: 20 }]);
    expect(draw().series!.y).toEqual([20, 22]);
    const before = dirtyCount();
    clock.now += 1_000;
    chart.reading({ t: T0 + 1_000, v: 23 });
    expect(dirtyCount()).toBe(before + 1);
    const m = draw();
    expect(m.series!.y).toEqual([20, 22, 23]);
    expect(m.to).toBe(T0 + 1_000); // the edge moved with the reading
    chart.reading({ t: T0 + 1_000, v: 'open' }); // text on a line: left for the next fetch
    expect(draw().series!.y).toEqual([20, 22, 23]);
  });

  it('a zoom fetches exactly its window, takes no live readings and does not slide; back returns to the range', async () => {
    const { clock, requests, chart, draw, answerRaw } = setup();
    chart.open('temp-1');
    chart.selectRange('24h');
    await answerRaw([{ t: T0 - 12 * HOUR, v: 1 }], DAY);
    chart.zoom(T0 - 10 * HOUR + 0.4, T0 - 11 * HOUR); // dragged right to left
    expect(requests[2]!.query).toEqual({ from: String(T0 - 11 * HOUR), to: String(T0 - 10 * HOUR), maxPoints: '800' });
    chart.reading({ t: T0 + 1, v: 5 }); // not kept for the zoom
    requests[2]!.answer({ from: T0 - 11 * HOUR, to: T0 - 10 * HOUR, sensorId: 'temp-1', resolution: 'raw', tier: 'raw', heldFrom: 0, points: [{ t: T0 - 10.5 * HOUR, v: 7 }] });
    await settle();
    chart.reading({ t: T0 + 2, v: 6 });
    clock.now += 5_000;
    chart.tick();
    const m = draw();
    expect(m).toMatchObject({ window: { kind: 'zoom', range: '24h' }, from: T0 - 11 * HOUR, to: T0 - 10 * HOUR, live: false });
    expect(m.series!.y).toEqual([7]);
    expect(m.csvHref).toContain(`from=${T0 - 11 * HOUR}&to=${T0 - 10 * HOUR}&`);
    chart.zoom(T0, T0 + 500); // too narrow: ignored
    expect(requests).toHaveLength(3);
    chart.resetZoom();
    expect(requests[3]!.query).toEqual({ from: '-24h', to: 'now', maxPoints: '800' });
    expect(chart.shownWindow).toEqual({ kind: 'range', range: '24h' });
  });

  it('a failed request keeps what was drawn and says so', async () => {
    const { requests, chart, draw, answerRaw } = setup();
    chart.open('temp-1');
    requests[0]!.answer(null);
    await settle();
    expect(draw()).toMatchObject({ failed: true, loading: false, series: null });
    chart.reload();
    await answerRaw([{ t: T0 - 1, v: 1 }]);
    chart.selectRange('7d');
    requests[2]!.answer(null);
    await settle();
    expect(draw()).toMatchObject({ failed: true, window: { kind: 'range', range: '7d' } });
    expect(draw().series!.y).toEqual([1]);
    chart.close();
    chart.open('temp-1'); // another dialog starts afresh
    expect(draw()).toMatchObject({ failed: false, series: null, loading: true });
  });

  it('keeps live points bounded: past twice the width, it asks the bridge again', async () => {
    const { view, requests, chart, answerRaw } = setup();
    view.width = 100;
    chart.open('temp-1');
    for (let i = 0; i < PENDING_LIMIT + 5; i++) chart.reading({ t: T0 + i, v: i }); // while loading: at most PENDING_LIMIT kept
    await answerRaw([]);
    expect(requests).toHaveLength(2); // more than 200 points now: bucketed by the bridge instead
    await answerRaw(Array.from({ length: 10 }, (_, i) => ({ t: T0 - 100 + i, v: i })));
    for (let i = 0; i < 190; i++) chart.reading({ t: T0 + i, v: i });
    expect(requests).toHaveLength(2);
    chart.reading({ t: T0 + 500, v: 1 });
    chart.reading({ t: T0 + 501, v: 1 });
    expect(requests).toHaveLength(3);
  });

  it('does nothing before it is opened or after it is closed', async () => {
    const { view, requests, chart, draw } = setup();
    chart.selectRange('15m');
    chart.zoom(T0, T0 + HOUR);
    chart.reading({ t: T0, v: 1 });
    chart.tick();
    draw();
    expect(requests).toEqual([]);
    expect(view.models).toEqual([]);
    chart.open('temp-1');
    chart.close();
    expect(requests[0]!.signal.aborted).toBe(true);
    chart.reload();
    draw();
    expect(requests).toHaveLength(1);
    expect(view.models).toEqual([]);
  });
});
