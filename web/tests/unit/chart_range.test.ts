import { describe, expect, it } from 'vitest';
import {
  chartPoints,
  csvFileName,
  csvQuery,
  DEFAULT_RANGE,
  isRangeKey,
  queryString,
  rangeLabel,
  rangeMs,
  RANGES,
  reachesNow,
  seriesQuery,
  unzoom,
  zoomInto,
  type ChartWindow,
} from '../../src/chart_range';
import { T0 } from './fixtures';

const DAY = 86_400_000;

describe('chart ranges', () => {
  it('are the five buttons, 1 h first shown', () => {
    expect(RANGES.map((r) => [r.key, r.ms])).toEqual([
      ['15m', 900_000],
      ['1h', 3_600_000],
      ['24h', DAY],
      ['7d', 7 * DAY],
      ['30d', 30 * DAY],
    ]);
    expect(DEFAULT_RANGE).toBe('1h');
    expect(rangeMs('24h')).toBe(DAY);
    expect(rangeLabel('15m')).toBe('15 min');
    expect(isRangeKey('7d')).toBe(true);
    expect(isRangeKey('2h')).toBe(false);
    expect(isRangeKey('constructor')).toBe(false);
  });

  it("ask for a point per pixel of the chart's width, 100 to 2 000", () => {
    expect(chartPoints(864)).toBe(864);
    expect(chartPoints(640.4)).toBe(640);
    expect(chartPoints(0)).toBe(100);
    expect(chartPoints(42)).toBe(100);
    expect(chartPoints(3_840)).toBe(2_000);
    expect(chartPoints(Number.NaN)).toBe(100);
  });

  it('a range asks relative to the bridge\'s now; a zoom asks for its ms', () => {
    const range: ChartWindow = { kind: 'range', range: '7d' };
    expect(seriesQuery(range, 864)).toEqual({ from: '-7d', to: 'now', maxPoints: '864' });
    expect(queryString(seriesQuery(range, 864))).toBe('from=-7d&to=now&maxPoints=864');
    expect(queryString(seriesQuery({ kind: 'range', range: '15m' }, 100))).toBe('from=-15m&to=now&maxPoints=100');
    const zoom: ChartWindow = { kind: 'zoom', range: '24h', from: T0, to: T0 + 60_000 };
    expect(queryString(seriesQuery(zoom, 700))).toBe(`from=${T0}&to=${T0 + 60_000}&maxPoints=700`);
    expect(reachesNow(range)).toBe(true);
    expect(reachesNow(zoom)).toBe(false);
  });

  it('the CSV link asks for exactly the span shown, whole ms, as fine as one answer gets', () => {
    expect(queryString(csvQuery(T0 + 0.4, T0 + 3_600_000.2))).toBe(`from=${T0}&to=${T0 + 3_600_001}&maxPoints=10000&format=csv`);
  });

  it('a drag zooms into whole ms in either direction, remembering the range; a tiny one does not', () => {
    const w: ChartWindow = { kind: 'range', range: '24h' };
    expect(zoomInto(w, T0 + 5_000.6, T0 + 1_000.2)).toEqual({ kind: 'zoom', range: '24h', from: T0 + 1_000, to: T0 + 5_001 });
    expect(zoomInto(w, T0, T0 + 999)).toBeNull();
    expect(zoomInto(w, Number.NaN, T0)).toBeNull();
    // A zoom within a zoom keeps the range to go back to.
    const inner = zoomInto(zoomInto(w, T0, T0 + 60_000)!, T0 + 10_000, T0 + 20_000)!;
    expect(inner).toEqual({ kind: 'zoom', range: '24h', from: T0 + 10_000, to: T0 + 20_000 });
    expect(unzoom(inner)).toEqual({ kind: 'range', range: '24h' });
  });

  it('names the CSV file after the sensor and the span, safe for any file system', () => {
    const from = Date.UTC(2026, 11, 7, 10, 0, 0);
    expect(csvFileName('kitchen.temperature', from, from + 3_600_000)).toBe('kitchen.temperature_2026-12-07T10-00-00Z_2026-12-07T11-00-00Z.csv');
    expect(csvFileName('../Wohnzimmer "Süd"/温度', from, from)).toBe('Wohnzimmer_S_d_2026-12-07T10-00-00Z_2026-12-07T10-00-00Z.csv');
    expect(csvFileName('***', from, from)).toMatch(/^sensor_/);
  });
});
