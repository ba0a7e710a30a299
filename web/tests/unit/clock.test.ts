import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../src/clock';

describe('ServerClock', () => {
  it('leaves times alone until it has seen a frame, and when the bridge is behind', () => {
    const c = new ServerClock();
    expect(c.toLocal(1000)).toBe(1000);
    c.observe(1000, 1500); // bridge 500 ms behind (or 500 ms of delay): ages are not shortened
    expect(c.toLocal(1000)).toBe(1000);
  });

  it('corrects a bridge clock that runs ahead, using the smallest recent sample', () => {
    const c = new ServerClock(4);
    c.observe(10_000, 5_020); // bridge 5 s ahead, 20 ms delay
    c.observe(11_000, 6_005); // 5 ms delay
    c.observe(12_000, 7_300); // a slow frame
    expect(c.offsetMs).toBe(-4_995);
    expect(c.toLocal(12_000)).toBe(7_005);
  });

  it('forgets samples that leave the window', () => {
    const c = new ServerClock(3);
    c.observe(10_000, 0); // -10 000
    c.observe(10_000, 9_000); // -1 000
    c.observe(10_000, 9_500);
    expect(c.offsetMs).toBe(-10_000);
    c.observe(10_000, 9_800); // the -10 000 sample drops out
    expect(c.offsetMs).toBe(-1_000);
  });
});
