// The detail chart's time window: a range button (the last 15 min … 30 d, reaching now) or a
// window dragged out of it (zoom), and the query each asks of GET /api/sensors/{id}/series
// (docs/PROTOCOL.md §6, Series), the chart's and the CSV link's. Pure.

export const RANGES = [
  { key: '15m', label: '15 min', ms: 15 * 60_000 },
  { key: '1h', label: '1 h', ms: 3_600_000 },
  { key: '24h', label: '24 h', ms: 86_400_000 },
  { key: '7d', label: '7 d', ms: 7 * 86_400_000 },
  { key: '30d', label: '30 d', ms: 30 * 86_400_000 },
] as const;

export type RangeKey = (typeof RANGES)[number]['key'];

export const DEFAULT_RANGE: RangeKey = '1h';

/** maxPoints is the chart's width in CSS pixels (a point per pixel column), within these. */
export const MIN_CHART_POINTS = 100;
export const MAX_CHART_POINTS = 2_000;
/** The CSV link asks for the most the bridge gives in one answer: raw unless the range holds more. */
export const CSV_MAX_POINTS = 10_000;
/** A drag narrower than this is taken for a click, not a zoom. */
export const MIN_ZOOM_MS = 1_000;

/**
 * What the chart shows: the last `range` up to now (live points join it), or a fixed window
 * zoomed into, which remembers the range it came from to go back to.
 */
export type ChartWindow =
  | { readonly kind: 'range'; readonly range: RangeKey }
  | { readonly kind: 'zoom'; readonly range: RangeKey; readonly from: number; readonly to: number };

/** The query parameters of one series request, in the order they are sent. */
export type SeriesQuery = Readonly<Record<string, string>>;

export function isRangeKey(s: string): s is RangeKey {
  return RANGES.some((r) => r.key === s);
}

export function rangeMs(key: RangeKey): number {
  return (RANGES.find((r) => r.key === key) ?? RANGES[1]).ms;
}

export function rangeLabel(key: RangeKey): string {
  return (RANGES.find((r) => r.key === key) ?? RANGES[1]).label;
}

/** A point per CSS pixel of the chart's width, at least 100 (a hidden chart) and at most 2 000. */
export function chartPoints(widthPx: number): number {
  if (!Number.isFinite(widthPx)) return MIN_CHART_POINTS;
  return Math.min(MAX_CHART_POINTS, Math.max(MIN_CHART_POINTS, Math.round(widthPx)));
}

/** Only a range reaches now: a zoomed window stays where it was dragged. */
export function reachesNow(w: ChartWindow): boolean {
  return w.kind === 'range';
}

/** The chart's request: a range relative to the bridge's now (`-24h` to `now`), a zoom in ms. */
export function seriesQuery(w: ChartWindow, maxPoints: number): SeriesQuery {
  const points = String(Math.round(maxPoints));
  if (w.kind === 'range') return { from: `-${w.range}`, to: 'now', maxPoints: points };
  return { from: String(w.from), to: String(w.to), maxPoints: points };
}

/** The CSV link's request: exactly the span shown, in ms, as fine as one answer allows. */
export function csvQuery(from: number, to: number): SeriesQuery {
  return { from: String(Math.floor(from)), to: String(Math.ceil(to)), maxPoints: String(CSV_MAX_POINTS), format: 'csv' };
}

export function queryString(q: SeriesQuery): string {
  return new URLSearchParams(q as Record<string, string>).toString();
}

/**
 * The window a drag over [a, b] (ms, either order) selects, within `w`'s range; null for a drag
 * under MIN_ZOOM_MS or off the numbers. Ends are whole ms, so the request asks for exactly it.
 */
export function zoomInto(w: ChartWindow, a: number, b: number): ChartWindow | null {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  const from = Math.round(Math.min(a, b));
  const to = Math.round(Math.max(a, b));
  if (to - from < MIN_ZOOM_MS) return null;
  return { kind: 'zoom', range: w.range, from, to };
}

/** Back from a zoom to the range it came from. */
export function unzoom(w: ChartWindow): ChartWindow {
  return { kind: 'range', range: w.range };
}

/** `kitchen.temperature_2026-12-07T10-00-00Z_2026-12-07T11-00-00Z.csv`: safe on any file system. */
export function csvFileName(id: string, from: number, to: number): string {
  const safe = id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, '').slice(0, 80) || 'sensor';
  const stamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  return `${safe}_${stamp(from)}_${stamp(to)}.csv`;
}
