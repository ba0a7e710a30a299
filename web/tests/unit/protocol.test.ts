// The wire types against the contract: sample messages must satisfy both the JSON Schemas in
// schemas/ and the runtime guards in src/protocol.ts, and malformed ones must fail both.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it, vi } from 'vitest';
import { dispatchMessage } from '../../src/dispatch';
import {
  encodeClientMessage,
  parseReadingList,
  parseSeries,
  parseServerMessage,
  restErrorMessage,
  roomForAll,
  roomForSensor,
  sensorOfRoom,
  type ClientMessage,
  type SensorList,
  type SeriesAnswer,
  type ServerMessage,
} from '../../src/protocol';
import { reading } from './fixtures';

const INSTANCE = '0123456789abcdef0123456789abcdef';

const schemaDir = fileURLToPath(new URL('../../../schemas/', import.meta.url));
const load = (name: string): object => JSON.parse(readFileSync(schemaDir + name, 'utf8')) as object;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addSchema(load('sensor-reading.schema.json'));
const validReading = ajv.getSchema('sensor-reading.schema.json')!;
const validServer = ajv.compile(load('ws-server-message.schema.json'));
const validClient = ajv.compile(load('ws-client-message.schema.json'));
const validList = ajv.compile(load('rest-sensors.schema.json'));
const validHistory = ajv.compile(load('rest-history.schema.json'));
const validRestError = ajv.compile(load('rest-error.schema.json'));
// rest-series.schema.json's `one` puts `required` beside an `allOf`, not beside the properties
// it names, which strict mode refuses: it is checked with those two rules off.
const validSeries = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true }).compile(
  load('rest-series.schema.json'),
);

// Typed with the generated types: a sample that the schema-derived types reject does not compile.
const goodServer: ServerMessage[] = [
  { type: 'connected', payload: { version: '0.1.0', instance: INSTANCE, heartbeatMs: 30000 } },
  { type: 'connected', payload: { version: '0.1.0', instance: INSTANCE, heartbeatMs: 30000, authRequired: true } },
  { type: 'authenticated', id: 'c1', payload: {} },
  { type: 'authenticated', payload: { rooms: ['sensor:kitchen.*'], expiresAt: 1795000030000 } },
  { type: 'subscribed', id: 'x', payload: { room: 'sensor:*' } },
  { type: 'unsubscribed', payload: { room: 'sensor:temp-1' } },
  { type: 'sensor.reading', payload: reading() },
  { type: 'sensor.reading', payload: (({ unit: _unit, ...r }) => ({ ...r, value: true }))(reading()) },
  { type: 'sensor.reading', payload: { sensorId: 'door', value: 'open', timestamp: 1, receivedAt: 2, seq: 3 } },
  { type: 'sensor.reading', payload: reading({ seq: 90, gap: true }) },
  { type: 'sensor.status', payload: { sensorId: 'temp-1', status: 'offline', since: 1795000000000 } },
  { type: 'sensor.status', payload: { sensorId: 'sim-7f3a', status: 'stale', since: 1795000000000 } },
  { type: 'sensor.reading', payload: reading({ retained: true }) },
  { type: 'sensor.reading', payload: reading({ sensorId: 'Living Room Sensor.temperature' }) },
  { type: 'sensor.reading', payload: reading({ sensorId: 'Küche/Kühlschrank.温度' }) },
  { type: 'sensor.reading', payload: reading({ sensorId: 'é'.repeat(64) }) }, // 128 bytes
  { type: 'sensor.removed', payload: { sensorId: 'temp-1' } },
  {
    type: 'sensor.reading',
    payload: reading({ name: 'Porch Temperature', deviceClass: 'temperature', device: { id: 'zigbee2mqtt_0x00158d0001234567', name: 'Porch' } }),
  },
  { type: 'sensor.reading', payload: reading({ device: { name: 'Porch' } }) },
  {
    type: 'sensor.meta',
    payload: { sensorId: 'Porch.contact', name: 'Porch Door', deviceClass: 'door', device: { id: 'zigbee2mqtt_0x00158d0001234567', name: 'Porch' } },
  },
  { type: 'sensor.meta', payload: { sensorId: 'Porch.contact' } },
  { type: 'pong' },
  { type: 'pong', id: 'p1' },
  { type: 'error', id: 'x', payload: { code: 'BAD_ROOM', message: 'payload.room must be a string' } },
];

const badServer: unknown[] = [
  { type: 'sensor.reading', payload: { ...reading(), value: null } },
  { type: 'sensor.reading', payload: { ...reading(), seq: 1.5 } },
  { type: 'sensor.reading', payload: { ...reading(), sensorId: 'tab\there' } },
  { type: 'sensor.reading', payload: { ...reading(), sensorId: 'star*' } },
  { type: 'sensor.reading', payload: { ...reading(), value: 'x'.repeat(129) } },
  { type: 'sensor.reading', payload: { value: 1, timestamp: 1, receivedAt: 1, seq: 1 } },
  { type: 'sensor.reading', payload: { ...reading(), gap: false } },
  { type: 'sensor.reading', payload: { ...reading(), status: 'asleep' } },
  { type: 'sensor.reading', payload: { ...reading(), receivedAt: -1 } },
  { type: 'sensor.status', payload: { sensorId: 'temp-1', status: 'asleep', since: 1 } },
  { type: 'sensor.status', payload: { sensorId: 'temp-1', status: 'offline', since: 1.5 } },
  { type: 'sensor.status', payload: { sensorId: 'temp-1', status: 'offline' } },
  { type: 'sensor.removed', payload: {} },
  { type: 'sensor.removed', payload: { sensorId: 7 } },
  { type: 'sensor.reading', payload: { ...reading(), name: 7 } },
  { type: 'sensor.reading', payload: { ...reading(), deviceClass: null } },
  { type: 'sensor.reading', payload: { ...reading(), device: 'Porch' } },
  { type: 'sensor.reading', payload: { ...reading(), device: { id: 5 } } },
  { type: 'sensor.meta', payload: { name: 'Porch Door' } },
  { type: 'sensor.meta', payload: { sensorId: 'a*b', name: 'x' } },
  { type: 'sensor.meta', payload: { sensorId: 'Porch.contact', device: { name: ['Porch'] } } },
  { type: 'connected', payload: { version: '0.1.0', instance: INSTANCE } },
  { type: 'connected', payload: { version: '0.1.0', instance: INSTANCE, heartbeatMs: 30000, authRequired: 'yes' } },
  { type: 'connected', payload: { version: '0.1.0', instance: INSTANCE.toUpperCase(), heartbeatMs: 30000 } },
  { type: 'connected', payload: { version: '0.1.0', instance: INSTANCE.slice(1), heartbeatMs: 30000 } },
  { type: 'connected', payload: { version: '0.1.0', instance: 42, heartbeatMs: 30000 } },
  { type: 'authenticated', payload: { rooms: 'sensor:*' } },
  { type: 'authenticated', payload: { expiresAt: 1.5 } },
  { type: 'subscribed', payload: {} },
  { type: 'error', payload: { code: 'BAD_JSON' } },
  { type: 'hello' },
  { payload: {} },
];

describe('wire types match schemas/', () => {
  it('accepts every sample server message, in the schema and in the parser', () => {
    for (const msg of goodServer) {
      expect(validServer(msg), JSON.stringify(validServer.errors)).toBe(true);
      expect(parseServerMessage(JSON.stringify(msg))).toEqual(JSON.parse(JSON.stringify(msg)));
    }
  });

  it('rejects malformed server messages, in the schema and in the parser', () => {
    for (const msg of badServer) {
      expect(validServer(msg), JSON.stringify(msg)).toBe(false);
      expect(parseServerMessage(JSON.stringify(msg)), JSON.stringify(msg)).toBeNull();
    }
  });

  it('takes a connected without an instance, which the schema requires: a bridge older than the page', () => {
    const old = { type: 'connected', payload: { version: '0.0.9', heartbeatMs: 30000 } };
    expect(validServer(old)).toBe(false);
    expect(parseServerMessage(JSON.stringify(old))).toEqual(old);
  });

  it('the reading of docs/PROTOCOL.md §1 is valid', () => {
    const sample = { sensorId: 'temp-1', value: 25.5, unit: '°C', timestamp: 1795000000123, receivedAt: 1795000000130, seq: 42, topic: 'sensors/temp-1' };
    expect(validReading(sample)).toBe(true);
    expect(parseReadingList([sample])).toEqual([sample]);
  });

  it('REST lists carry each sensor\'s status; the guard keeps good readings and drops bad ones', () => {
    const list: SensorList = [
      reading({ status: 'online' }),
      reading({ sensorId: 'porch.temperature', status: 'offline' }),
      reading({ sensorId: 'cellar', status: 'stale' }),
    ];
    expect(validList(list), JSON.stringify(validList.errors)).toBe(true);
    expect(parseReadingList(list)).toEqual(list);
    expect(parseReadingList(list).map((r) => r.status)).toEqual(['online', 'offline', 'stale']);
    const withBad = [...list, { ...reading({ sensorId: 'bad' }), status: 'asleep' }];
    expect(validList(withBad)).toBe(false);
    expect(parseReadingList(withBad)).toEqual(list);
    const history = [reading({ seq: 1 }), reading({ seq: 2 })];
    expect(validHistory(history)).toBe(true);
    expect(parseReadingList(history)).toEqual(history);
  });

  it('series answers: raw points, buckets and states pass schema and guard; malformed ones fail both', () => {
    const base = { from: 1795000000000, to: 1795003600000, sensorId: 'temp-1', tier: 'raw' as const, heldFrom: 1794990000000 };
    const good: SeriesAnswer[] = [
      { ...base, resolution: 'raw', points: [{ t: 1795000001000, v: 21.5 }, { t: 1795000002000, v: 21.6 }] },
      { ...base, resolution: '3600ms', points: [{ t: 1795000000000, min: 20, max: 22, mean: 21, count: 3, last: 22 }] },
      { ...base, tier: '1m', resolution: '1m', points: [] },
      { ...base, sensorId: 'front-door', resolution: '120000ms', tier: '1h', points: [{ t: 1795000000000, v: true }, { t: 1795000001000, v: 'open' }] },
    ];
    for (const a of good) {
      expect(validSeries(a), JSON.stringify(validSeries.errors)).toBe(true);
      expect(parseSeries(JSON.parse(JSON.stringify(a)))).toEqual(a);
    }
    const bad: unknown[] = [
      { ...base, resolution: 'fine', points: [] },
      { ...base, resolution: 'raw', tier: '1d', points: [] },
      { ...base, resolution: 'raw' },
      { ...base, from: 1.5, resolution: 'raw', points: [] },
      { ...base, sensorId: 'a*b', resolution: 'raw', points: [] },
      { ...base, to: undefined, resolution: 'raw', points: [] },
      'raw',
      null,
    ];
    for (const a of bad) {
      expect(validSeries(a), JSON.stringify(a)).toBe(false);
      expect(parseSeries(a), JSON.stringify(a)).toBeNull();
    }
    // A malformed point is left out, the rest kept.
    const points = [{ t: 1, v: 1 }, { t: 2, v: null }, { t: 3, min: 1, max: 2, mean: 1.5, count: 0, last: 2 }, { t: 4.5, v: 1 }, { t: 5, min: 1, max: 1, mean: 1, count: 1, last: 1 }];
    expect(parseSeries({ ...base, resolution: 'raw', points })!.points.map((p) => p.t)).toEqual([1, 5]);
  });

  it('reads the message of a REST error body', () => {
    const body = { error: { code: 'UNAUTHORIZED', message: 'invalid token' } };
    expect(validRestError(body)).toBe(true);
    expect(restErrorMessage(body)).toBe('invalid token');
    for (const bad of [null, {}, { error: 'x' }, { error: { code: 'X', message: 5 } }]) expect(restErrorMessage(bad)).toBeNull();
  });

  it('every message the client sends is valid', () => {
    const sent: ClientMessage[] = [
      { type: 'subscribe', id: 'c1', payload: { room: 'sensor:*' } },
      { type: 'subscribe', payload: { room: 'sensor:temp-1', since: 42 } },
      { type: 'subscribe', payload: { room: 'sensor:power.*', maxRateHz: 2.5 } },
      { type: 'subscribe', payload: { room: 'sensor:kitchen.*' } },
      { type: 'unsubscribe', payload: { room: 'sensor:temp-1' } },
      { type: 'ping' },
      { type: 'auth', id: 'c2', payload: { token: 'eyJhbGciOiJIUzI1NiJ9.e30.sig' } },
    ];
    for (const msg of sent) expect(validClient(JSON.parse(encodeClientMessage(msg))), JSON.stringify(msg)).toBe(true);
    expect(validClient({ type: 'subscribe', payload: { room: 'kitchen' } })).toBe(false);
    expect(validClient({ type: 'shout' })).toBe(false);
    expect(validClient({ type: 'auth', payload: { token: '' } })).toBe(false);
    expect(validClient({ type: 'subscribe', payload: { room: 'sensor:a', since: -1 } })).toBe(false);
    expect(validClient({ type: 'subscribe', payload: { room: 'sensor:a', maxRateHz: 0 } })).toBe(false);
  });
});

describe('message handling', () => {
  it('ignores bad frames without throwing', () => {
    const frames: unknown[] = ['', 'not json', '{', 'null', '42', '[]', '"text"', '{"type":7}', '{"type":"pong","id":5}', new ArrayBuffer(4), undefined];
    for (const f of frames) expect(() => parseServerMessage(f)).not.toThrow();
    for (const f of frames) expect(parseServerMessage(f)).toBeNull();
  });

  it('drops readings with non-finite or oversized values', () => {
    expect(parseServerMessage('{"type":"sensor.reading","payload":{"sensorId":"a","value":1e999,"timestamp":1,"receivedAt":1,"seq":1}}')).toBeNull();
    expect(parseReadingList('nope')).toEqual([]);
    expect(parseReadingList([reading(), { junk: true }, reading({ sensorId: 'b' })])).toHaveLength(2);
  });

  it('dispatches each message type to its handler', () => {
    const h = { reading: vi.fn(), status: vi.fn(), removed: vi.fn(), meta: vi.fn(), connected: vi.fn(), serverError: vi.fn() };
    for (const msg of goodServer) {
      const parsed = parseServerMessage(JSON.stringify(msg));
      if (parsed) dispatchMessage(parsed, h);
    }
    expect(h.reading).toHaveBeenCalledTimes(10);
    expect(h.meta).toHaveBeenCalledTimes(2);
    expect(h.meta).toHaveBeenCalledWith({ sensorId: 'Porch.contact' });
    expect(h.removed).toHaveBeenCalledWith('temp-1');
    expect(h.status).toHaveBeenCalledWith({ sensorId: 'temp-1', status: 'offline', since: 1795000000000 });
    expect(h.connected).toHaveBeenCalledWith('0.1.0', 30000, INSTANCE);
    dispatchMessage({ type: 'connected', payload: { version: '0.0.9', heartbeatMs: 1 } }, h);
    expect(h.connected).toHaveBeenLastCalledWith('0.0.9', 1, null);
    expect(h.serverError).toHaveBeenCalledWith('BAD_ROOM', 'payload.room must be a string');
  });

  it('knows the sensor of an exact room, and that a prefix room has none', () => {
    expect(sensorOfRoom(roomForSensor('Küche.temp 1'))).toBe('Küche.temp 1');
    expect(sensorOfRoom(roomForAll())).toBeNull();
    expect(sensorOfRoom('sensor:kitchen.*')).toBeNull();
    expect(sensorOfRoom('sensor:')).toBeNull();
    expect(sensorOfRoom('kitchen')).toBeNull();
  });

  it('counts an id in UTF-8 bytes, as the bridge does (the schema can only count characters)', () => {
    const msg = (id: string): string => JSON.stringify({ type: 'sensor.removed', payload: { sensorId: id } });
    expect(parseServerMessage(msg('é'.repeat(64)))).not.toBeNull(); // 128 bytes
    expect(parseServerMessage(msg('é'.repeat(65)))).toBeNull(); // 130 bytes
    expect(parseServerMessage(msg('x'.repeat(129)))).toBeNull();
    expect(parseServerMessage(msg('c1\u0085'))).toBeNull(); // a C1 control: the schema leaves it to the bridge
  });

  it('keeps an error whose code this build does not know (a newer bridge)', () => {
    const msg = parseServerMessage('{"type":"error","payload":{"code":"SOMETHING_NEW","message":"m"}}');
    expect(msg).toEqual({ type: 'error', payload: { code: 'SOMETHING_NEW', message: 'm' } });
  });
});
