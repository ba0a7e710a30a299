import { describe, expect, it } from 'vitest';
import { summaryModel } from '../../src/view/summary';

describe('summaryModel', () => {
  it('counts sensors, with "N of" only while a filter is in force', () => {
    expect(summaryModel({ total: 1, shown: 1, stale: 0, offline: 0 }, '').total).toBe('1 sensor');
    expect(summaryModel({ total: 12, shown: 12, stale: 0, offline: 0 }, '').total).toBe('12 sensors');
    expect(summaryModel({ total: 12, shown: 3, stale: 0, offline: 0 }, 'kitchen').total).toBe('3 of 12 sensors');
  });

  it('hides the stale and offline counts while they are zero', () => {
    const none = summaryModel({ total: 4, shown: 4, stale: 0, offline: 0 }, '');
    expect(none.stale).toEqual({ text: '0 stale', hidden: true });
    expect(none.offline).toEqual({ text: '0 offline', hidden: true });
    const some = summaryModel({ total: 4, shown: 4, stale: 2, offline: 1 }, '');
    expect(some.stale).toEqual({ text: '2 stale', hidden: false });
    expect(some.offline).toEqual({ text: '1 offline', hidden: false });
  });

  it('explains an empty grid: no sensors yet, or none matching the filter', () => {
    expect(summaryModel({ total: 3, shown: 1, stale: 0, offline: 0 }, 'x').empty).toBeNull();
    expect(summaryModel({ total: 0, shown: 0, stale: 0, offline: 0 }, '').empty).toEqual({
      title: 'Waiting for sensors…',
      hint: 'Tiles appear here as soon as the bridge receives a reading.',
    });
    const none = summaryModel({ total: 3, shown: 0, stale: 0, offline: 0 }, 'garage');
    expect(none.empty?.title).toBe('No sensor matches “garage”');
    expect(none.empty?.hint).toMatch(/Esc clears the filter/);
  });
});
