// The detail dialog's history chart: which window it shows (a range button or a dragged zoom),
// fetching that window's series at the chart's width, adding the open sensor's live readings at
// the right edge while the window reaches now, and sliding it along once a second. No DOM: it
// hands a ChartModel to the view (view/history_chart.ts).
import {
  chartPoints,
  csvFileName,
  csvQuery,
  DEFAULT_RANGE,
  rangeMs,
  reachesNow,
  seriesQuery,
  unzoom,
  zoomInto,
  type ChartWindow,
  type RangeKey,
  type SeriesQuery,
} from './chart_range';
import { addLive, dropBefore, seriesFromAnswer, seriesStats, type ChartSeries, type LivePoint, type SeriesStats } from './chart_series';
import type { SeriesAnswer } from './protocol';

/** Live readings kept while an answer is on its way (they join it when it comes). */
export const PENDING_LIMIT = 2_000;

/** What the chart shows now. */
export interface ChartModel {
  id: string;
  unit: string;
  deviceClass: string;
  window: ChartWindow;
  /** The time axis, ms: the window shown (for a range, the last `range` up to the bridge's now). */
  from: number;
  to: number;
  /** null until the first answer. */
  series: ChartSeries | null;
  stats: SeriesStats;
  /** A request is on its way (what is drawn is the previous window's until it comes). */
  loading: boolean;
  /** The last request got no usable answer. */
  failed: boolean;
  /** Live readings are being added. */
  live: boolean;
  /** The CSV of exactly [from, to], and the file name to save it under. */
  csvHref: string;
  csvName: string;
}

/** The sensor the chart belongs to, as the dialog knows it. */
export interface ChartSubject {
  id: string;
  unit: string;
  deviceClass: string;
}

/** The chart as this controller drives it (view/detail.ts; a fake in tests). */
export interface ChartView {
  /** The plot's width in CSS pixels: one point per pixel column is asked for. */
  chartWidth(): number;
  renderChart(m: ChartModel): void;
}

export interface ChartDeps {
  view: ChartView;
  /** GET /api/sensors/{id}/series with `query`; null when there was no usable answer. */
  fetchSeries: (id: string, query: SeriesQuery, signal: AbortSignal) => Promise<SeriesAnswer | null>;
  /** The address of GET /api/sensors/{id}/series with `query` (the CSV link). */
  seriesHref: (id: string, query: SeriesQuery) => string;
  /** Asks for a render (render()) in the next frame. */
  markDirty: () => void;
  now?: () => number;
}

const NO_STATS: SeriesStats = { min: null, max: null, mean: null, readings: 0 };

export class ChartController {
  private id: string | null = null;
  private window: ChartWindow = { kind: 'range', range: DEFAULT_RANGE };
  private series: ChartSeries | null = null;
  private from = 0;
  private to = 0;
  /** The bridge's clock less this page's, from the last range answer (its `to` was the bridge's now). */
  private offset = 0;
  private maxPoints = 0;
  private pending: LivePoint[] = [];
  private request: AbortController | null = null;
  private failed = false;
  private readonly now: () => number;

  constructor(private readonly deps: ChartDeps) {
    this.now = deps.now ?? Date.now;
  }

  get shownWindow(): ChartWindow {
    return this.window;
  }

  /** A dialog opened on `id`: the default range, fetched. */
  open(id: string): void {
    this.id = id;
    this.window = { kind: 'range', range: DEFAULT_RANGE };
    this.series = null;
    this.failed = false;
    this.from = 0;
    this.to = 0;
    this.load();
  }

  close(): void {
    this.request?.abort();
    this.request = null;
    this.id = null;
    this.series = null;
    this.failed = false;
    this.pending = [];
  }

  /** A range button: the last `range` up to now, live. */
  selectRange(range: RangeKey): void {
    if (this.id === null) return;
    this.window = { kind: 'range', range };
    this.load();
  }

  /** A drag over [a, b] (ms): that window at full resolution; live readings stop joining. */
  zoom(a: number, b: number): void {
    const w = this.id === null ? null : zoomInto(this.window, a, b);
    if (w === null) return;
    this.window = w;
    this.load();
  }

  /** Back from a zoom to the range it came from. */
  resetZoom(): void {
    if (this.id === null || this.window.kind !== 'zoom') return;
    this.window = unzoom(this.window);
    this.load();
  }

  /** After a reconnect: the same window again, so what the socket missed is drawn. */
  reload(): void {
    if (this.id !== null) this.load();
  }

  /** A reading of the open sensor (every one: the dialog's room is at full rate). */
  reading(p: LivePoint): void {
    if (this.id === null || !reachesNow(this.window)) return;
    if (this.request !== null) {
      if (this.pending.length < PENDING_LIMIT) this.pending.push(p);
      return;
    }
    if (this.series === null) return;
    const next = addLive(this.series, p);
    if (next === null) return;
    this.series = next;
    this.slide();
    this.bound();
    this.deps.markDirty();
  }

  /** Once a second: a range moves on with the clock, its left edge dropping what slid out. */
  tick(): void {
    if (this.id === null || this.series === null || !reachesNow(this.window) || this.request !== null) return;
    this.slide();
    this.deps.markDirty();
  }

  render(subject: ChartSubject): void {
    if (this.id === null || subject.id !== this.id) return;
    const csv = csvQuery(this.from, this.to);
    this.deps.view.renderChart({
      ...subject,
      window: this.window,
      from: this.from,
      to: this.to,
      series: this.series,
      stats: this.series === null ? NO_STATS : seriesStats(this.series, this.from, this.to),
      loading: this.request !== null,
      failed: this.failed,
      live: reachesNow(this.window) && this.series !== null,
      csvHref: this.deps.seriesHref(this.id, csv),
      csvName: csvFileName(this.id, Number(csv['from']), Number(csv['to'])),
    });
  }

  /** The range's window at the bridge's now, and the points that slid out of it dropped. */
  private slide(): void {
    if (this.window.kind !== 'range' || this.series === null) return;
    this.to = this.now() + this.offset;
    this.from = this.to - rangeMs(this.window.range);
    this.series = dropBefore(this.series, this.from);
  }

  /** Live points are bounded too: past twice the width's worth, the bridge buckets them again. */
  private bound(): void {
    if (this.series !== null && this.series.t.length > 2 * this.maxPoints) this.load();
  }

  private load(): void {
    const id = this.id;
    if (id === null) return;
    this.request?.abort();
    const ctrl = new AbortController();
    this.request = ctrl;
    this.pending = [];
    this.maxPoints = chartPoints(this.deps.view.chartWidth());
    const window = this.window;
    this.deps.markDirty();
    const asked = this.deps.fetchSeries(id, seriesQuery(window, this.maxPoints), ctrl.signal).catch(() => null);
    void asked.then((answer) => {
      if (ctrl.signal.aborted || this.request !== ctrl) return;
      this.request = null;
      this.answered(window, answer);
      this.deps.markDirty();
    });
  }

  private answered(window: ChartWindow, answer: SeriesAnswer | null): void {
    const pending = this.pending;
    this.pending = [];
    this.failed = answer === null;
    if (answer === null) return;
    this.series = seriesFromAnswer(answer);
    if (window.kind === 'zoom') {
      this.from = window.from;
      this.to = window.to;
      return;
    }
    this.offset = answer.to - this.now();
    this.from = answer.from;
    this.to = answer.to;
    for (const p of pending) this.series = addLive(this.series, p) ?? this.series;
    if (pending.length > 0) this.slide();
    this.bound();
  }
}
