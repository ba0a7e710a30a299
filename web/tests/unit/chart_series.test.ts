import { describe, expect, it } from 'vitest';
import { addLive, bucketWidth, dropBefore, seriesFromAnswer, seriesStats, type ChartSeries } from '../../src/chart_series';
import type { SeriesAnswer } from '../../src/protocol';
import { T0 } from './fixtures';

const HOUR = 3_600_000;

function answer(over: Partial<SeriesAnswer>): SeriesAnswer {
  return { from: T0 - HOUR, to: T0, sensorId: 'temp-1', resolution: 'raw', tier: 'raw', heldFrom: T0 - 10 * HOUR, points: [], ...over };
}

const bucket = (t: number, min: number, max: number, mean: number, count: number) => ({ t, min, max, mean, count, last: mean });

/** A 2-minute bucketed answer from the minute tier: two buckets, the last one reaching past `to`. */
function banded(): ChartSeries {
  return seriesFromAnswer(
    answer({ resolution: '120000ms', tier: '1m', points: [bucket(T0 - 180_000, 18, 22, 20, 4), bucket(T0 - 60_000, 19, 21, 20, 2)] }),
  );
}

describe('bucketWidth', () => {
  it('reads the resolution', () => {
    expect(bucketWidth('raw')).toBeNull();
    expect(bucketWidth('1m')).toBe(60_000);
    expect(bucketWidth('1h')).toBe(HOUR);
    expect(bucketWidth('180000ms')).toBe(180_000);
    expect(bucketWidth('0ms')).toBeNull();
    expect(bucketWidth('fast')).toBeNull();
  });
});

describe('seriesFromAnswer', () => {
  it('raw numbers are a line, sorted by time, edged at the newest reading', () => {
    const s = seriesFromAnswer(answer({ points: [{ t: T0 - 1_000, v: 21 }, { t: T0 - 2_000, v: 20 }] }));
    expect(s).toMatchObject({ shape: 'line', resolution: 'raw', bucketMs: null, t: [T0 - 2_000, T0 - 1_000], y: [20, 21], edge: T0 - 1_000 });
    // Empty: anything from the start of the window on is new.
    expect(seriesFromAnswer(answer({})).edge).toBe(T0 - HOUR - 1);
  });

  it('buckets are a band: mean line, min and max, counts; edged at the answer\'s end', () => {
    const s = banded();
    expect(s).toMatchObject({ shape: 'band', bucketMs: 120_000, edge: T0, anchor: 0 });
    expect([s.t, s.y, s.min, s.max, s.count]).toEqual([[T0 - 180_000, T0 - 60_000], [20, 20], [18, 19], [22, 21], [4, 2]]);
    // From the raw tier the grid starts at `from`.
    expect(seriesFromAnswer(answer({ resolution: '5000ms', points: [bucket(T0 - HOUR, 1, 1, 1, 1)] })).anchor).toBe(T0 - HOUR);
  });

  it('booleans and text are steps between their distinct values, false before true', () => {
    const door = seriesFromAnswer(answer({ points: [{ t: 1, v: true }, { t: 2, v: false }, { t: 3, v: true }] }));
    expect(door).toMatchObject({ shape: 'states', states: [false, true], y: [1, 0, 1] });
    const mode = seriesFromAnswer(answer({ points: [{ t: 1, v: 'idle' }, { t: 2, v: 'heating' }, { t: 3, v: 'idle' }] }));
    expect(mode).toMatchObject({ shape: 'states', states: ['heating', 'idle'], y: [1, 0, 1] });
    // A sensor that once sent text among its numbers: every value a state.
    expect(seriesFromAnswer(answer({ points: [{ t: 1, v: 3 }, { t: 2, v: 'off' }] })).shape).toBe('states');
  });
});

describe('addLive', () => {
  it('adds a line point after the edge, in time order; one the answer held is not added again', () => {
    const s = seriesFromAnswer(answer({ points: [{ t: T0 - 2_000, v: 20 }, { t: T0 - 1_000, v: 21 }] }));
    expect(addLive(s, { t: T0 - 1_000, v: 21 })).toBeNull();
    expect(addLive(s, { t: T0 - 5_000, v: 19 })).toBeNull();
    const a = addLive(s, { t: T0 + 2_000, v: 23 })!;
    const b = addLive(a, { t: T0 + 1_000, v: 22 })!; // late, but after the edge: in order
    const c = addLive(b, { t: T0 + 2_000, v: 24 })!; // same time, another reading
    expect([c.t, c.y]).toEqual([[T0 - 2_000, T0 - 1_000, T0 + 1_000, T0 + 2_000, T0 + 2_000], [20, 21, 22, 23, 24]]);
    expect(s.t).toHaveLength(2); // the series given is left as it was
    expect(addLive(s, { t: T0 + 1, v: 'open' })).toBeNull(); // text on a line: the next fetch shows it
  });

  it('adds to the open bucket, or starts the next one on the same grid', () => {
    const s = banded();
    expect(addLive(s, { t: T0, v: 30 })).toBeNull(); // up to `to`: in the answer
    const a = addLive(s, { t: T0 + 1, v: 26 })!; // still the bucket that started at T0 - 60 000
    expect([a.t.length, a.y[1], a.min[1], a.max[1], a.count[1]]).toEqual([2, 22, 19, 26, 3]);
    const b = addLive(a, { t: T0 + 250_000, v: 10 })!; // two widths on: T0 + 180 000
    expect([b.t, b.y, b.min, b.max, b.count]).toEqual([
      [T0 - 180_000, T0 - 60_000, T0 + 180_000],
      [20, 22, 10],
      [18, 19, 10],
      [22, 26, 10],
      [4, 3, 1],
    ]);
    expect(addLive(a, { t: T0 + 5, v: true })).toBeNull();
  });

  it("starts the first bucket of an empty band on its grid: the tier's, or from `from` for the raw tier", () => {
    const none = { t: [], y: [], min: [], max: [], count: [] };
    const minutes = { ...banded(), ...none };
    expect(addLive(minutes, { t: T0 + 90_500, v: 5 })!.t).toEqual([Math.floor((T0 + 90_500) / 120_000) * 120_000]);
    const raw = { ...seriesFromAnswer(answer({ resolution: '5000ms', points: [bucket(T0 - HOUR, 1, 1, 1, 1)] })), ...none };
    expect(addLive(raw, { t: T0 + 12_345, v: 5 })!.t).toEqual([T0 + 10_000]);
  });

  it('a new state joins the states', () => {
    const s = seriesFromAnswer(answer({ points: [{ t: T0 - 1, v: 'idle' }] }));
    const a = addLive(s, { t: T0 + 1, v: 'heating' })!;
    expect([a.states, a.y]).toEqual([['idle', 'heating'], [0, 1]]);
    expect(addLive(a, { t: T0 + 2, v: 'idle' })!.y).toEqual([0, 1, 0]);
  });
});

describe('dropBefore', () => {
  it('drops what slid out but the last point before the edge, so the line enters from the left', () => {
    const s = seriesFromAnswer(answer({ points: [1, 2, 3, 4].map((i) => ({ t: T0 + i * 1_000, v: i })) }));
    expect(dropBefore(s, T0).t).toHaveLength(4);
    expect(dropBefore(s, T0 + 2_500).y).toEqual([2, 3, 4]);
    expect(dropBefore(s, T0 + 3_000).y).toEqual([3, 4]);
    expect(dropBefore(s, T0 + 9_000).y).toEqual([4]);
    expect(dropBefore(s, T0 + 2_500).edge).toBe(s.edge);
  });

  it('keeps a bucket while it reaches into the window', () => {
    const s = banded();
    expect(dropBefore(s, T0 - 60_001).t).toHaveLength(2);
    expect(dropBefore(s, T0 - 60_000).t).toEqual([T0 - 60_000]);
    expect(dropBefore(s, T0 - 60_000).count).toEqual([2]);
  });
});

describe('seriesStats', () => {
  it('of a line: over the points in the window', () => {
    const s = seriesFromAnswer(answer({ points: [10, 20, 30, 60].map((v, i) => ({ t: T0 + i * 1_000, v })) }));
    expect(seriesStats(s, T0, T0 + 3_000)).toEqual({ min: 10, max: 60, mean: 30, readings: 4 });
    expect(seriesStats(s, T0 + 1_000, T0 + 2_000)).toEqual({ min: 20, max: 30, mean: 25, readings: 2 });
    expect(seriesStats(s, T0 + 5_000, T0 + 6_000)).toEqual({ min: null, max: null, mean: null, readings: 0 });
  });

  it('of a band: min of the mins, max of the maxes, the mean weighted by readings', () => {
    expect(seriesStats(banded(), T0 - HOUR, T0)).toEqual({ min: 18, max: 22, mean: 20, readings: 6 });
    const uneven = seriesFromAnswer(answer({ resolution: '1m', tier: '1m', points: [bucket(T0, 1, 1, 1, 3), bucket(T0 + 60_000, 5, 5, 5, 1)] }));
    expect(seriesStats(uneven, T0, T0 + HOUR).mean).toBe(2);
  });

  it('of states: how many, no numbers', () => {
    const s = seriesFromAnswer(answer({ points: [{ t: T0, v: true }, { t: T0 + 1, v: false }] }));
    expect(seriesStats(s, T0, T0 + 1)).toEqual({ min: null, max: null, mean: null, readings: 2 });
  });
});
