import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/filter';
import { booleanLabel, formatAge, formatNumber, formatValue } from '../../src/view/format';
import { connectionText } from '../../src/view/connection';
import { niceTicks, tickDecimals, timeStep } from '../../src/view/chart';

describe('formatting', () => {
  it('formats numbers by unit', () => {
    expect(formatNumber(21.5, '°C')).toEqual({ value: '21.5', unit: '°C' });
    expect(formatNumber(41.62, '%')).toEqual({ value: '42', unit: '%' });
    expect(formatNumber(612.4, 'ppm')).toEqual({ value: '612', unit: 'ppm' });
    expect(formatNumber(1234, 'W').unit).toBe('W');
    expect(formatNumber(12_345, 'W')).toEqual({ value: '12.35', unit: 'kW' });
    expect(formatNumber(0.01234).value).toBe('0.012');
    expect(formatNumber(7).value).toBe('7');
  });

  it('shows SenML units as people read them and drops trailing zeros without a unit rule', () => {
    expect(formatNumber(20.9, 'Cel')).toEqual({ value: '20.9', unit: '°C' });
    expect(formatNumber(49.2).value).toBe('49.2');
    expect(formatNumber(1.6).value).toBe('1.6');
    expect(formatNumber(23.1, 'lux?').value).toBe('23.1');
  });

  it('shows booleans and strings as states', () => {
    expect(formatValue('front-door', true)).toEqual({ value: 'open', unit: '' });
    expect(booleanLabel('hall.motion', false)).toBe('clear');
    expect(booleanLabel('relay-3', true)).toBe('on');
    expect(formatValue('boiler.mode', 'heating')).toEqual({ value: 'heating', unit: '' });
  });

  it('formats ages', () => {
    expect(formatAge(-50)).toBe('just now');
    expect(formatAge(3_400)).toBe('3 s ago');
    expect(formatAge(125_000)).toBe('2 min ago');
    expect(formatAge(5 * 3_600_000)).toBe('5 h ago');
    expect(formatAge(3 * 86_400_000)).toBe('3 d ago');
  });

  it('words the connection state', () => {
    expect(connectionText({ state: 'open', retryAt: null, failures: 0, reason: '' }, 0)).toBe('live');
    expect(connectionText({ state: 'connecting', retryAt: 4_200, failures: 2, reason: '' }, 1_000)).toBe('reconnecting in 4 s');
    expect(connectionText({ state: 'connecting', retryAt: null, failures: 2, reason: '' }, 1_000)).toBe('connecting…');
    expect(connectionText({ state: 'closed', retryAt: null, failures: 0, reason: '' }, 0)).toBe('offline');
  });

  it('picks round chart ticks', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(427.5, 440.5, 5)).toEqual([428, 430, 432, 434, 436, 438, 440]);
    expect(tickDecimals([41, 41.5, 42])).toBe(1);
    expect(tickDecimals([0.1, 0.2, 0.3])).toBe(1);
    expect(tickDecimals([400, 500])).toBe(0);
    expect(niceTicks(0, 0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(20.3, 22.9, 4)).toEqual([20.5, 21, 21.5, 22, 22.5]);
    expect(niceTicks(20.3, 22.9, 3)).toEqual([21, 22]);
    expect(timeStep(60_000, 6)).toBe(10_000);
  });
});

describe('filter', () => {
  it('matches substrings and prefixes, case-insensitively, all terms', () => {
    const ids = ['kitchen.temperature', 'kitchen.humidity', 'temp-1', 'garage.door'];
    expect(ids.filter(compileFilter(''))).toEqual(ids);
    expect(ids.filter(compileFilter('TEMP'))).toEqual(['kitchen.temperature', 'temp-1']);
    expect(ids.filter(compileFilter('temp*'))).toEqual(['temp-1']);
    expect(ids.filter(compileFilter('kitchen.* hum'))).toEqual(['kitchen.humidity']);
    expect(ids.filter(compileFilter('nothing'))).toEqual([]);
  });
});
