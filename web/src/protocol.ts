// The wire protocol of the bridge (docs/PROTOCOL.md §1, §3, §6): the types come from schemas/
// through the generated src/wire.gen.ts (npm run gen:types); this module adds the runtime guards
// that turn untrusted frames and REST bodies into those types. tests/unit/protocol.test.ts runs
// sample messages through both these guards and the JSON Schemas.
import type {
  ClientMessage,
  ConnectedMessage as WireConnectedMessage,
  ErrorCode,
  ErrorMessage,
  Members,
  Meta,
  ReadingValue,
  SensorReading,
  SensorStatus,
  SensorStatusPayload,
  ServerMessage as WireServerMessage,
} from './wire.gen';

export type {
  ClientMessage,
  ErrorCode,
  HealthReport,
  ReadingValue,
  RestError,
  SensorHistory,
  SensorList,
  SensorReading,
  SensorSeries,
  SensorStatus,
  SensorStatusPayload,
  StatsReport,
} from './wire.gen';

/** One sensor's answer of GET /api/sensors/{id}/series (rest-series.schema.json, `one`). */
export type SeriesAnswer = Members & { from: number; to: number };
/** A point of it: a reading `{t, v}` or a bucket `{t, min, max, mean, count, last}`. */
export type SeriesPoint = Members['points'][number];
export type SeriesBucket = Extract<SeriesPoint, { mean: number }>;

/** A sensor.meta payload: what the sensor's discovery config says now (absent: not known). */
export type SensorMetaPayload = Meta['payload'];

/** An error frame as parsed: a newer bridge may send a code this build does not know yet. */
export type ServerErrorMessage = Omit<ErrorMessage, 'payload'> & {
  payload: { code: ErrorCode | (string & {}); message: string };
};

/**
 * A connected message as parsed: a bridge older than this page (one not yet upgraded behind a load
 * balancer) names no instance, and the page then resumes nothing on it.
 */
export type ConnectedMessage = Omit<WireConnectedMessage, 'payload'> & {
  payload: Omit<WireConnectedMessage['payload'], 'instance'> & { instance?: string };
};

/**
 * A server message as parseServerMessage returns it: the schema's, with error codes left open and
 * the instance optional.
 */
export type ServerMessage =
  | Exclude<WireServerMessage, ErrorMessage | WireConnectedMessage>
  | ServerErrorMessage
  | ConnectedMessage;

/** docs/PROTOCOL.md §2: 1 to 128 bytes of UTF-8 without control characters or '*'. */
const SENSOR_ID_CHARS = /^[^\u0000-\u001F\u007F-\u009F*]+$/u;
const MAX_SENSOR_ID_BYTES = 128;
const utf8 = new TextEncoder();

export function isSensorId(v: unknown): v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_SENSOR_ID_BYTES) return false;
  return SENSOR_ID_CHARS.test(v) && utf8.encode(v).length <= MAX_SENSOR_ID_BYTES;
}
const MAX_STRING_VALUE_BYTES = 128;
const INSTANCE = /^[0-9a-f]{32}$/;

/** A bridge instance as `connected` names it (docs/PROTOCOL.md §3): 32 lower-case hex digits. */
export function isInstance(v: unknown): v is string {
  return typeof v === 'string' && INSTANCE.test(v);
}
const SENSOR_STATUSES: readonly SensorStatus[] = ['online', 'stale', 'offline'];

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

function optionalString(o: Json, key: string): boolean {
  return o[key] === undefined || typeof o[key] === 'string';
}

function optionalInteger(o: Json, key: string): boolean {
  return o[key] === undefined || isInteger(o[key]);
}

/** A reading's or sensor.meta's `device`: an object with an optional string id and name. */
function isDeviceRef(v: unknown): boolean {
  return isObject(v) && optionalString(v, 'id') && optionalString(v, 'name');
}

/** The discovery fields readings and sensor.meta share, each optional. */
function hasValidMeta(o: Json): boolean {
  return optionalString(o, 'name') && optionalString(o, 'deviceClass') && (o['device'] === undefined || isDeviceRef(o['device']));
}

export function isSensorStatus(v: unknown): v is SensorStatus {
  return SENSOR_STATUSES.includes(v as SensorStatus);
}

export function isReadingValue(v: unknown): v is ReadingValue {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v === 'boolean') return true;
  if (typeof v === 'string') return new TextEncoder().encode(v).length <= MAX_STRING_VALUE_BYTES;
  return false;
}

/** Runtime guard for one reading, as received over WebSocket or REST (with `status`). */
export function isSensorReading(v: unknown): v is SensorReading {
  if (!isObject(v)) return false;
  return (
    isSensorId(v['sensorId']) &&
    isReadingValue(v['value']) &&
    optionalString(v, 'unit') &&
    optionalString(v, 'topic') &&
    isInteger(v['timestamp']) &&
    isInteger(v['receivedAt']) &&
    v['receivedAt'] >= 0 &&
    isInteger(v['seq']) &&
    v['seq'] >= 0 &&
    (v['gap'] === undefined || v['gap'] === true) &&
    (v['status'] === undefined || isSensorStatus(v['status'])) &&
    hasValidMeta(v)
  );
}

function isStatusPayload(v: unknown): v is SensorStatusPayload {
  if (!isObject(v)) return false;
  return (
    isSensorId(v['sensorId']) &&
    isSensorStatus(v['status']) &&
    isInteger(v['since'])
  );
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((r) => typeof r === 'string');
}

/**
 * One check per message type of the schema. The key type makes this table exhaustive: a type
 * added to ws-server-message.schema.json (and regenerated) does not compile until it is here.
 */
const PAYLOAD_CHECKS: { [T in ServerMessage['type']]: (p: unknown) => boolean } = {
  connected: (p) =>
    isObject(p) &&
    typeof p['version'] === 'string' &&
    isInteger(p['heartbeatMs']) &&
    p['heartbeatMs'] > 0 &&
    (p['instance'] === undefined || isInstance(p['instance'])) &&
    (p['authRequired'] === undefined || typeof p['authRequired'] === 'boolean'),
  authenticated: (p) =>
    isObject(p) && (p['rooms'] === undefined || isStringArray(p['rooms'])) && optionalInteger(p, 'expiresAt'),
  subscribed: (p) => isObject(p) && typeof p['room'] === 'string',
  unsubscribed: (p) => isObject(p) && typeof p['room'] === 'string',
  'sensor.reading': isSensorReading,
  'sensor.status': isStatusPayload,
  'sensor.removed': (p) => isObject(p) && isSensorId(p['sensorId']),
  'sensor.meta': (p) => isObject(p) && isSensorId(p['sensorId']) && hasValidMeta(p),
  pong: () => true,
  error: (p) => isObject(p) && typeof p['code'] === 'string' && typeof p['message'] === 'string',
};

function isServerType(t: string): t is ServerMessage['type'] {
  return Object.prototype.hasOwnProperty.call(PAYLOAD_CHECKS, t);
}

/**
 * Parses one text frame. Anything malformed or unknown yields null: a bad frame from a newer or
 * buggy server is dropped, never thrown into the render loop.
 */
export function parseServerMessage(text: unknown): ServerMessage | null {
  if (typeof text !== 'string') return null;
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(msg) || typeof msg['type'] !== 'string' || !optionalString(msg, 'id')) return null;
  const type = msg['type'];
  if (!isServerType(type) || !PAYLOAD_CHECKS[type](msg['payload'])) return null;
  return msg as ServerMessage;
}

/** Keeps the valid readings of a REST answer (GET /api/sensors or /history); anything else gives []. */
export function parseReadingList(body: unknown): SensorReading[] {
  if (!Array.isArray(body)) return [];
  return body.filter(isSensorReading);
}

const SERIES_TIERS: readonly SeriesAnswer['tier'][] = ['raw', '1m', '1h'];

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isSeriesPoint(p: unknown): p is SeriesPoint {
  if (!isObject(p) || !isInteger(p['t'])) return false;
  if ('v' in p) return isReadingValue(p['v']);
  return (
    isFiniteNumber(p['min']) &&
    isFiniteNumber(p['max']) &&
    isFiniteNumber(p['mean']) &&
    isFiniteNumber(p['last']) &&
    isInteger(p['count']) &&
    p['count'] >= 1
  );
}

/**
 * A GET /api/sensors/{id}/series answer, or null when it is not one; a malformed point is
 * left out (the rest still draws).
 */
export function parseSeries(body: unknown): SeriesAnswer | null {
  if (!isObject(body)) return null;
  const ok =
    isInteger(body['from']) &&
    isInteger(body['to']) &&
    isSensorId(body['sensorId']) &&
    typeof body['resolution'] === 'string' &&
    /^(raw|1m|1h|[1-9][0-9]*ms)$/.test(body['resolution']) &&
    SERIES_TIERS.includes(body['tier'] as SeriesAnswer['tier']) &&
    isInteger(body['heldFrom']) &&
    Array.isArray(body['points']);
  if (!ok) return null;
  return {
    from: body['from'] as number,
    to: body['to'] as number,
    sensorId: body['sensorId'] as string,
    resolution: body['resolution'] as string,
    tier: body['tier'] as SeriesAnswer['tier'],
    heldFrom: body['heldFrom'] as number,
    points: (body['points'] as unknown[]).filter(isSeriesPoint),
  };
}

/** The message of a REST error body (rest-error.schema.json), or null when it is not one. */
export function restErrorMessage(body: unknown): string | null {
  if (!isObject(body) || !isObject(body['error'])) return null;
  const message = body['error']['message'];
  return typeof message === 'string' ? message : null;
}

export function encodeClientMessage(msg: ClientMessage): string {
  return JSON.stringify(msg);
}

export function roomForAll(): string {
  return 'sensor:*';
}

/** The exact room of one sensor (an id holds no `*`, docs/PROTOCOL.md §2). */
export function roomForSensor(id: string): string {
  return `sensor:${id}`;
}

/** The sensor of an exact room; null for a prefix room, which takes no `since` (docs/PROTOCOL.md §3). */
export function sensorOfRoom(room: string): string | null {
  const prefix = 'sensor:';
  if (!room.startsWith(prefix)) return null;
  const id = room.slice(prefix.length);
  return isSensorId(id) ? id : null;
}
