import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../src/ring';

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity, oldest first', () => {
    const r = new RingBuffer<number>(3);
    expect(r.toArray()).toEqual([]);
    [1, 2, 3, 4, 5].forEach((n) => r.push(n));
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.length).toBe(3);
    expect(r.at(0)).toBe(3);
    expect(r.last()).toBe(5);
    expect(r.at(3)).toBeUndefined();
    r.clear();
    expect(r.length).toBe(0);
    expect(r.last()).toBeUndefined();
  });

  it('rejects a useless capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
