import { describe, expect, it } from 'vitest';
import { dateTimeText, dayText, stepDecimals, timeTicks, valueText, valueTicks } from '../../src/view/chart_axes';

// Local times, built with the local-time Date constructor: these hold in any time zone.
const at = (d: number, h: number, m = 0, s = 0): number => new Date(2026, 11, d, h, m, s).getTime();

describe('time axis', () => {
  it('reads local time: HH:mm, the day under the first tick and each midnight crossed', () => {
    expect(timeTicks([at(6, 22), at(6, 23), at(7, 0), at(7, 1)], 3_600_000)).toEqual([
      `22:00\n${dayText(at(6, 22))}`,
      '23:00',
      `00:00\n${dayText(at(7, 0))}`,
      '01:00',
    ]);
    expect(dayText(at(7, 0))).not.toBe(dayText(at(6, 0)));
  });

  it('has seconds when ticks are under a minute apart, and days alone when a day or more', () => {
    expect(timeTicks([at(7, 10, 0, 30), at(7, 10, 0, 45)], 15_000)).toEqual([`10:00:30\n${dayText(at(7, 10))}`, '10:00:45']);
    expect(timeTicks([at(6, 0), at(7, 0)], 86_400_000)).toEqual([dayText(at(6, 0)), dayText(at(7, 0))]);
  });

  it('the legend has date and time, local', () => {
    expect(dateTimeText(at(7, 9, 5, 3))).toBe('2026-12-07 09:05:03');
  });
});

describe('value axis', () => {
  it('has the decimals the step needs, no more', () => {
    expect(stepDecimals(5)).toBe(0);
    expect(stepDecimals(2.5)).toBe(1);
    expect(stepDecimals(0.25)).toBe(2);
    expect(stepDecimals(0.1 + 0.2)).toBe(1); // 0.30000000000000004
    expect(stepDecimals(2e-7)).toBe(6);
    expect(stepDecimals(0)).toBe(0);
    const labels = valueTicks([20, 20.25, 20.5], 0.25);
    expect(labels).toHaveLength(3);
    expect(new Set(labels).size).toBe(3);
    expect(labels[1]).toMatch(/^20[.,]25$/);
    expect(valueTicks([0, 500], 500)[1]).toBe('500');
  });

  it('a value reads as the dialog formats it, with its unit', () => {
    expect(valueText(21.44, '°C', '')).toBe('21.4 °C');
    expect(valueText(12_345, 'W', '')).toBe('12.35 kW');
    expect(valueText(3, '', '')).toBe('3');
  });
});
