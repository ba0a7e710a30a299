import { describe, expect, it } from 'vitest';
import { LoadMeter } from '../../src/load_meter';

describe('LoadMeter', () => {
  it('samples the mean frame delay, the median lag and the draw wait of its period, then starts a new one', () => {
    const m = new LoadMeter();
    m.frame(0, 16);
    m.frame(20, 120); // one late frame
    m.frame(130, 146);
    for (const lag of [30, 5_000, 40, 20, 35]) m.delivered(lag); // one straggler
    expect(m.take(1_000, 80)).toEqual({ at: 1_000, frameDelayMs: 44, drawWaitMs: 80, lagMs: 35 });
    expect(m.take(2_000, 0)).toEqual({ at: 2_000, frameDelayMs: 0, drawWaitMs: 0, lagMs: 0 });
  });

  it('judges lag by the latest readings only', () => {
    const m = new LoadMeter();
    for (let i = 0; i < 64; i++) m.delivered(3_000);
    for (let i = 0; i < 64; i++) m.delivered(50);
    expect(m.take(0, 0).lagMs).toBe(50);
  });

  it("after a reset (a hidden page) a frame asked for before it is not counted: it waited for the tab, not the page", () => {
    const m = new LoadMeter();
    m.frame(100, 200);
    m.delivered(9_000);
    m.reset(60_000);
    m.frame(1_000, 60_010); // asked for while hidden, ran on return
    m.frame(60_020, 60_036);
    // The tiles have waited since the tab was hidden: counted from the reset only.
    expect(m.take(61_000, 50_000)).toEqual({ at: 61_000, frameDelayMs: 16, drawWaitMs: 1_000, lagMs: 0 });
    expect(m.take(62_000, -5).drawWaitMs).toBe(0);
  });
});
