import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_OPTIONS, RateController, verdict, type LoadSample } from '../../src/rate_control';

// Samples once a second, as the page takes them.
const keepingUp = (at: number): LoadSample => ({ at, frameDelayMs: 17, drawWaitMs: 20, lagMs: 40 });
const behind = (at: number): LoadSample => ({ at, frameDelayMs: 140, drawWaitMs: 300, lagMs: 900 });
const inBetween = (at: number): LoadSample => ({ at, frameDelayMs: 70, drawWaitMs: 100, lagMs: 100 });

/** Feeds one sample a second over [from, to) ms; the rate changes as [at, hz]. */
function drive(c: RateController, from: number, to: number, sample: (at: number) => LoadSample): [number, number][] {
  const changes: [number, number][] = [];
  for (let at = from; at < to; at += 1_000) {
    const hz = c.observe(sample(at));
    if (hz !== null) changes.push([at, hz]);
  }
  return changes;
}

describe('verdict', () => {
  it.each([
    ['frames late', { frameDelayMs: 120 }, 'behind'],
    ['tiles waiting to be drawn', { drawWaitMs: 600 }, 'behind'],
    ['readings arriving late', { lagMs: 2_000 }, 'behind'],
    ['frames a little slow', { frameDelayMs: 70 }, 'hold'],
    ['tiles waiting a little', { drawWaitMs: 200 }, 'hold'],
    ['readings a little late', { lagMs: 1_000 }, 'hold'],
    ['all well', {}, 'keeping-up'],
  ] as const)('%s: %s', (_what, over, expected) => {
    expect(verdict({ ...keepingUp(0), ...over }, 2, DEFAULT_RATE_OPTIONS)).toBe(expected);
  });

  it("counts lag beyond the rate's own interval: the bridge may hold a reading that long", () => {
    const late = { ...keepingUp(0), lagMs: 1_700 };
    expect(verdict(late, 2, DEFAULT_RATE_OPTIONS)).toBe('behind'); // 1.2 s beyond 0.5 s
    expect(verdict(late, 1, DEFAULT_RATE_OPTIONS)).toBe('hold'); // 0.7 s beyond 1 s
  });
});

describe('RateController', () => {
  it('starts at 2 Hz and judges nothing while the first snapshot settles', () => {
    const c = new RateController(0);
    expect(c.rateHz).toBe(2);
    expect(drive(c, 0, 2_000, behind)).toEqual([]);
    expect(c.rateHz).toBe(2);
  });

  it('falls behind: halves after two late samples in a row, and goes no lower than 1 Hz', () => {
    const c = new RateController(0);
    // 2 s settle at start; behind at 2 s and 3 s: down at 3 s; at the floor from then on.
    expect(drive(c, 0, 30_000, behind)).toEqual([[3_000, 1]]);
    expect(c.rateHz).toBe(1);
  });

  it('one late sample among good ones is no trend: the rate holds (hysteresis)', () => {
    const c = new RateController(0);
    const changes = drive(c, 0, 60_000, (at) => (at % 3_000 === 0 ? behind(at) : inBetween(at)));
    expect(changes).toEqual([]);
    expect(c.rateHz).toBe(2);
  });

  it('keeps up: one rung up after 10 s of it, each step settling first, up to 2 Hz and no further', () => {
    const c = new RateController(0);
    drive(c, 0, 4_000, behind); // down to 1 Hz at 3 s
    expect(c.rateHz).toBe(1);
    // Settled at 5 s, keeping up from then: up at 15 s, and (settled at 17 s) at 27 s.
    expect(drive(c, 4_000, 120_000, keepingUp)).toEqual([
      [15_000, 1.5],
      [27_000, 2],
    ]);
    expect(c.rateHz).toBe(2);
  });

  it('holds between the two bounds: neither lowers nor raises', () => {
    const c = new RateController(0);
    drive(c, 0, 4_000, behind);
    expect(c.rateHz).toBe(1);
    expect(drive(c, 4_000, 120_000, inBetween)).toEqual([]);
  });

  it('a raise taken back within 30 s doubles the wait before trying that rate again; one that holds 30 s clears it', () => {
    const c = new RateController(0);
    expect(drive(c, 0, 4_000, behind)).toEqual([[3_000, 1]]);
    expect(drive(c, 4_000, 16_000, keepingUp)).toEqual([[15_000, 1.5]]);
    expect(drive(c, 16_000, 19_000, behind)).toEqual([[18_000, 1]]); // 1.5 Hz failed its trial
    // Settled at 20 s: 1.5 Hz again only after 20 s of keeping up.
    expect(drive(c, 19_000, 41_000, keepingUp)).toEqual([[40_000, 1.5]]);
    // 1.5 Hz holds past its trial (at 70 s): next time the usual 10 s.
    expect(drive(c, 41_000, 71_000, inBetween)).toEqual([]);
    expect(drive(c, 71_000, 73_000, behind)).toEqual([[72_000, 1]]);
    expect(drive(c, 73_000, 100_000, keepingUp)).toEqual([
      [84_000, 1.5],
      [96_000, 2],
    ]);
  });

  it('does not flap: a page that copes with 1 Hz but no more sees few changes, and little time above it', () => {
    const c = new RateController(0);
    let rate = c.rateHz;
    let changes = 0;
    let secondsAbove = 0;
    for (let at = 0; at < 600_000; at += 1_000) {
      if (rate > 1) secondsAbove++;
      const hz = c.observe(rate > 1 ? behind(at) : keepingUp(at));
      if (hz === null) continue;
      changes++;
      rate = hz;
    }
    expect(rate).toBeLessThanOrEqual(2);
    expect(rate).toBeGreaterThanOrEqual(1);
    expect(changes).toBeLessThanOrEqual(30); // at most one change in 20 s on average
    expect(secondsAbove).toBeLessThanOrEqual(45); // under 8 % of the time too fast
  });

  it('a gap between samples (a hidden tab) starts the keep-up wait afresh', () => {
    const c = new RateController(0);
    drive(c, 0, 4_000, behind); // 1 Hz at 3 s; settled at 5 s
    expect(drive(c, 5_000, 12_000, keepingUp)).toEqual([]);
    // Hidden from 12 s to 60 s: no samples. Back: 10 s of keeping up from 60 s.
    expect(drive(c, 60_000, 75_000, keepingUp)).toEqual([[70_000, 1.5]]);
  });

  it('a reconnect settles: its snapshot is not judged', () => {
    const c = new RateController(0);
    drive(c, 0, 10_000, keepingUp);
    c.settle(10_000);
    expect(drive(c, 10_000, 12_000, behind)).toEqual([]);
    expect(drive(c, 12_000, 14_000, behind)).toEqual([[13_000, 1]]);
  });

  it('takes other rungs (halving lands on the highest one at or below half) and another start', () => {
    const c = new RateController(0, { ratesHz: [0.25, 1, 3], startHz: 3, settleMs: 0 });
    expect(c.rateHz).toBe(3);
    expect(drive(c, 0, 20_000, behind)).toEqual([
      [1_000, 1],
      [3_000, 0.25],
    ]);
    expect(() => new RateController(0, { ratesHz: [0.25, 1, 3] })).toThrow(RangeError); // starts at 2 Hz
    const slow = new RateController(0, { startHz: 1 });
    expect(drive(slow, 0, 13_000, keepingUp)).toEqual([[12_000, 1.5]]);
  });
});
