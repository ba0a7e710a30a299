// The detail chart's points as columns (what uPlot draws): made from a series answer, live
// readings added at the right edge, the left edge sliding with the range. Three shapes:
// `line`, every reading of a number; `band`, buckets of numbers (mean line, min–max band);
// `states`, booleans and text as steps between their distinct values. Pure.
import type { ReadingValue, SeriesAnswer, SeriesBucket } from './protocol';

export type SeriesShape = 'line' | 'band' | 'states';

export interface ChartSeries {
  readonly shape: SeriesShape;
  /** The answer's: `raw`, `1m`, `1h` or `<N>ms`. */
  readonly resolution: string;
  /** Bucket width in ms (`band`), else null. */
  readonly bucketMs: number | null;
  /** Where a new bucket's grid starts when there is none to continue (`band`). */
  readonly anchor: number;
  /** Live points at or before this time are in the answer already and are not added again. */
  readonly edge: number;
  /** Point times (bucket starts), ascending. */
  readonly t: readonly number[];
  /** `line`: the value; `band`: the mean; `states`: the index of the value in `states`. */
  readonly y: readonly number[];
  /** `band` only (else empty): each bucket's min, max and number of readings. */
  readonly min: readonly number[];
  readonly max: readonly number[];
  readonly count: readonly number[];
  /** `states` only: the distinct values, booleans first (false, true), then the rest sorted. */
  readonly states: readonly ReadingValue[];
}

/** A live reading as the chart takes it: its time and value. */
export interface LivePoint {
  t: number;
  v: ReadingValue;
}

/** What the range shown holds, for the dialog's figures. */
export interface SeriesStats {
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Readings behind the points (a bucket counts its readings). */
  readings: number;
}

/** Bucket width of a resolution: `1m` 60 000, `1h` 3 600 000, `<N>ms` N; `raw` (or junk) null. */
export function bucketWidth(resolution: string): number | null {
  if (resolution === '1m') return 60_000;
  if (resolution === '1h') return 3_600_000;
  const m = /^([1-9][0-9]*)ms$/.exec(resolution);
  return m ? Number(m[1]) : null;
}

function stateOrder(a: ReadingValue, b: ReadingValue): number {
  const rank = (v: ReadingValue): number => (typeof v === 'boolean' ? (v ? 1 : 0) : 2);
  return rank(a) - rank(b) || (rank(a) === 2 ? String(a).localeCompare(String(b)) : 0);
}

function isBucket(p: SeriesAnswer['points'][number]): p is SeriesBucket {
  return 'mean' in p;
}

/** The columns of an answer. Points out of order (the bridge sends them ascending) are sorted. */
export function seriesFromAnswer(a: SeriesAnswer): ChartSeries {
  const points = [...a.points].sort((p, q) => p.t - q.t);
  const bucketMs = bucketWidth(a.resolution);
  const last = points[points.length - 1];
  // A raw answer ends at its newest reading; a bucketed one holds what the bridge had up to `to`.
  const edge = a.resolution === 'raw' ? (last?.t ?? a.from - 1) : a.to;
  const base = { resolution: a.resolution, edge, min: [], max: [], count: [], states: [] };
  if (points.some(isBucket)) {
    const b = points.map((p) => (isBucket(p) ? p : typeof p.v === 'number' ? { t: p.t, min: p.v, max: p.v, mean: p.v, count: 1, last: p.v } : null));
    const buckets = b.filter((p): p is SeriesBucket => p !== null);
    return {
      ...base,
      shape: 'band',
      bucketMs: bucketMs ?? 60_000,
      anchor: a.tier === 'raw' ? a.from : 0,
      t: buckets.map((p) => p.t),
      y: buckets.map((p) => p.mean),
      min: buckets.map((p) => p.min),
      max: buckets.map((p) => p.max),
      count: buckets.map((p) => p.count),
    };
  }
  const values = points.map((p) => (isBucket(p) ? p.mean : p.v));
  if (values.every((v) => typeof v === 'number')) {
    return { ...base, shape: 'line', bucketMs: null, anchor: 0, t: points.map((p) => p.t), y: values as number[] };
  }
  const states = [...new Set(values)].sort(stateOrder);
  return { ...base, shape: 'states', bucketMs: null, anchor: 0, t: points.map((p) => p.t), y: values.map((v) => states.indexOf(v)), states };
}

/** Index at which `t` goes to keep `ts` ascending (after equal times). */
function insertAt(ts: readonly number[], t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ts[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function inserted<T>(xs: readonly T[], i: number, x: T): T[] {
  return [...xs.slice(0, i), x, ...xs.slice(i)];
}

/**
 * `s` with a live reading added, or null when it does not belong: at or before the answer's
 * edge (already in it), or a value the shape cannot draw (text on a line chart: the next fetch
 * shows it). A line or states point goes in at its time; on a band it joins the bucket its
 * time falls in, or starts one on the same grid, so a bucketed chart stays bucketed.
 */
export function addLive(s: ChartSeries, p: LivePoint): ChartSeries | null {
  if (!(p.t > s.edge)) return null;
  if (s.shape === 'states') {
    const states = s.states.includes(p.v) ? s.states : [...s.states, p.v];
    const i = insertAt(s.t, p.t);
    return { ...s, states, t: inserted(s.t, i, p.t), y: inserted(s.y, i, states.indexOf(p.v)) };
  }
  if (typeof p.v !== 'number') return null;
  if (s.shape === 'line') {
    const i = insertAt(s.t, p.t);
    return { ...s, t: inserted(s.t, i, p.t), y: inserted(s.y, i, p.v) };
  }
  return addToBucket(s, p.t, p.v);
}

function addToBucket(s: ChartSeries, t: number, v: number): ChartSeries {
  const width = s.bucketMs ?? 60_000;
  const n = s.t.length;
  const lastStart = s.t[n - 1];
  if (lastStart !== undefined && t >= lastStart && t < lastStart + width) {
    const c = s.count[n - 1] as number;
    const replace = <T>(xs: readonly T[], x: T): T[] => [...xs.slice(0, n - 1), x];
    return {
      ...s,
      y: replace(s.y, ((s.y[n - 1] as number) * c + v) / (c + 1)),
      min: replace(s.min, Math.min(s.min[n - 1] as number, v)),
      max: replace(s.max, Math.max(s.max[n - 1] as number, v)),
      count: replace(s.count, c + 1),
    };
  }
  const origin = lastStart ?? s.anchor;
  const start = origin + Math.floor((t - origin) / width) * width;
  const i = insertAt(s.t, start);
  return {
    ...s,
    t: inserted(s.t, i, start),
    y: inserted(s.y, i, v),
    min: inserted(s.min, i, v),
    max: inserted(s.max, i, v),
    count: inserted(s.count, i, 1),
  };
}

/**
 * Drops what slid out on the left: everything before `from` but the last point (a bucket: the
 * one reaching into the window), so the line or the state enters at the left edge.
 */
export function dropBefore(s: ChartSeries, from: number): ChartSeries {
  let keep = 0;
  while (keep + 1 < s.t.length && (s.t[keep + 1] as number) <= from) keep++;
  if (keep === 0) return s;
  const cut = <T>(xs: readonly T[]): T[] => xs.slice(keep);
  return { ...s, t: cut(s.t), y: cut(s.y), min: cut(s.min), max: cut(s.max), count: cut(s.count) };
}

/** Min, max, mean and readings of the points within [from, to] (a bucket by its readings). */
export function seriesStats(s: ChartSeries, from: number, to: number): SeriesStats {
  const width = s.shape === 'band' ? (s.bucketMs ?? 0) : 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let readings = 0;
  for (let i = 0; i < s.t.length; i++) {
    const t = s.t[i] as number;
    if (width > 0 ? t + width <= from : t < from) continue;
    if (t > to) break;
    const y = s.y[i] as number;
    const c = s.shape === 'band' ? (s.count[i] as number) : 1;
    readings += c;
    if (s.shape === 'states') continue;
    min = Math.min(min, s.shape === 'band' ? (s.min[i] as number) : y);
    max = Math.max(max, s.shape === 'band' ? (s.max[i] as number) : y);
    sum += y * c;
  }
  if (s.shape === 'states' || readings === 0) return { min: null, max: null, mean: null, readings };
  return { min, max, mean: sum / readings, readings };
}
