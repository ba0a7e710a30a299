import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/filter';
import { booleanLabel, formatAge, formatNumber, formatValue } from '../../src/view/format';
import { connectionText } from '../../src/view/connection';

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

  it('words booleans by device class, over any guess from the id', () => {
    const cases: [string, string, string][] = [
      ['door', 'open', 'closed'],
      ['window', 'open', 'closed'],
      ['opening', 'open', 'closed'],
      ['garage_door', 'open', 'closed'],
      ['motion', 'detected', 'clear'],
      ['occupancy', 'detected', 'clear'],
      ['presence', 'detected', 'clear'],
      ['moisture', 'wet', 'dry'],
      ['smoke', 'detected', 'clear'],
      ['gas', 'detected', 'clear'],
      ['problem', 'problem', 'OK'],
      ['connectivity', 'connected', 'disconnected'],
      ['plug', 'on', 'off'],
      ['power', 'on', 'off'],
      ['lock', 'unlocked', 'locked'], // Home Assistant: on means unlocked
      ['battery', 'low', 'normal'],
    ];
    // An id that would guess otherwise ("door" → open/closed) shows the class wins.
    for (const [cls, yes, no] of cases) {
      expect(formatValue('hall.door', true, '', cls), cls).toEqual({ value: yes, unit: '' });
      expect(formatValue('hall.door', false, '', cls), cls).toEqual({ value: no, unit: '' });
    }
    expect(booleanLabel('Porch.contact', true, 'door')).toBe('open');
  });

  it('without a device class, or with one it does not know, booleans are worded as before', () => {
    expect(formatValue('front-door', true, '', '')).toEqual({ value: 'open', unit: '' });
    expect(formatValue('front-door', true, '', 'update')).toEqual({ value: 'open', unit: '' });
    expect(booleanLabel('relay-3', false, 'constructor')).toBe('off');
    expect(booleanLabel('relay-3', true, '__proto__')).toBe('on');
  });

  it('gives numbers the precision of their device class', () => {
    expect(formatValue('t', 19.46, '°C', 'temperature')).toEqual({ value: '19.5', unit: '°C' });
    expect(formatValue('t', 19, '°C', 'temperature').value).toBe('19.0');
    expect(formatValue('h', 48.7, '%', 'humidity').value).toBe('49');
    expect(formatValue('b', 87.4, '%', 'battery').value).toBe('87');
    expect(formatValue('p', 998.26, 'hPa', 'pressure').value).toBe('998.3'); // the unit alone says 0 decimals
    expect(formatNumber(998.26, 'hPa').value).toBe('998');
    expect(formatValue('l', 312.8, 'lx', 'illuminance').value).toBe('313');
    expect(formatValue('w', 140.256, 'W', 'power').value).toBe('140.26'); // the unit alone says 0
    expect(formatNumber(140.256, 'W').value).toBe('140');
    expect(formatValue('w', 140, 'W', 'power').value).toBe('140'); // up to 2: no trailing zeros
    expect(formatValue('v', 230.4, 'V', 'voltage').value).toBe('230.4');
    expect(formatValue('a', 0.456, 'A', 'current').value).toBe('0.46');
    expect(formatValue('e', 12.3456, 'kWh', 'energy').value).toBe('12.35');
    expect(formatValue('c', 612.4, 'ppm', 'carbon_dioxide').value).toBe('612');
    // A large power still scales to kW as its unit says.
    expect(formatValue('w', 12_345, 'W', 'power')).toEqual({ value: '12.35', unit: 'kW' });
  });

  it('without a device class, or with an unknown one, numbers are formatted as before', () => {
    expect(formatValue('t', 19.46, '°C')).toEqual(formatNumber(19.46, '°C'));
    expect(formatValue('t', 19.4567, '', 'something_new')).toEqual({ value: '19.46', unit: '' });
    expect(formatValue('t', 19.4567, '', 'constructor')).toEqual({ value: '19.46', unit: '' });
    expect(formatNumber(3, 'constructor')).toEqual({ value: '3', unit: 'constructor' });
    expect(formatValue('mode', 'heating', '', 'enum')).toEqual({ value: 'heating', unit: '' });
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
});

describe('filter', () => {
  it('matches substrings and prefixes, case-insensitively, all terms', () => {
    const ids = ['kitchen.temperature', 'kitchen.humidity', 'temp-1', 'garage.door'];
    const matching = (q: string): string[] => ids.filter((id) => compileFilter(q)(id));
    expect(matching('')).toEqual(ids);
    expect(matching('TEMP')).toEqual(['kitchen.temperature', 'temp-1']);
    expect(matching('temp*')).toEqual(['temp-1']);
    expect(matching('kitchen.* hum')).toEqual(['kitchen.humidity']);
    expect(matching('nothing')).toEqual([]);
  });

  it('matches the name too: each term in the id or in the name', () => {
    const f = compileFilter('porch');
    expect(f('0x00158d.temperature', 'Porch Temperature')).toBe(true);
    expect(f('0x00158d.temperature')).toBe(false);
    expect(f('0x00158d.temperature', 'Hall Temperature')).toBe(false);
    expect(compileFilter('living*')('lr.t', 'Living Room Temperature')).toBe(true);
    expect(compileFilter('room*')('lr.t', 'Living Room Temperature')).toBe(false);
    // One term in the name, the other in the id.
    expect(compileFilter('porch .temperature')('0x1.temperature', 'Porch Temperature')).toBe(true);
    expect(compileFilter('porch .humidity')('0x1.temperature', 'Porch Temperature')).toBe(false);
  });
});
