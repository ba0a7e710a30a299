import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, DEFAULT_BACKOFF } from '../../src/backoff';

const opts = (r: number) => ({ ...DEFAULT_BACKOFF, random: () => r });

describe('backoff', () => {
  it('doubles from 1 s and caps at 30 s', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 10, 100].map((n) => backoffCeiling(n, DEFAULT_BACKOFF));
    expect(ceilings).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });

  it('draws uniformly below the ceiling (full jitter)', () => {
    expect(backoffDelay(0, opts(0))).toBe(0);
    expect(backoffDelay(0, opts(0.5))).toBe(500);
    expect(backoffDelay(3, opts(0.25))).toBe(2000);
    expect(backoffDelay(3, opts(0.999999))).toBe(7999);
    expect(backoffDelay(20, opts(0.5))).toBe(15000);
  });

  it('stays within [0, ceiling) for any random source, even a broken one', () => {
    for (const r of [0, 0.1, 0.5, 0.99, 1, 1.5, -1, Number.NaN]) {
      for (let n = 0; n < 12; n++) {
        const d = backoffDelay(n, opts(r));
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(backoffCeiling(n, DEFAULT_BACKOFF));
        expect(Number.isInteger(d)).toBe(true);
      }
    }
  });

  it('treats negative and fractional attempts sanely', () => {
    expect(backoffCeiling(-3, DEFAULT_BACKOFF)).toBe(1000);
    expect(backoffCeiling(1.7, DEFAULT_BACKOFF)).toBe(2000);
  });

  it('spreads clients out: many draws cover the range', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const draws = Array.from({ length: 2000 }, () => backoffDelay(4, { ...DEFAULT_BACKOFF, random }));
    expect(Math.min(...draws)).toBeLessThan(1000);
    expect(Math.max(...draws)).toBeGreaterThan(15000);
  });
});
