// Wire types of the bridge (DESIGN.md §5–§7), mirroring schemas/*.schema.json.
// tests/unit/protocol.test.ts checks these guards and sample messages against those schemas.

/** A finite number, a boolean or a short string. */
export type ReadingValue = number | boolean | string;

/** schemas/sensor-reading.schema.json */
export interface SensorReading {
  sensorId: string;
  value: ReadingValue;
  unit?: string;
  timestamp: number;
  receivedAt: number;
  seq: number;
  topic?: string;
  /** Only on the latest reading sent for a `since` resume whose later readings are lost. */
  gap?: true;
  /** Only in REST answers: whether the sensor is talking. */
  status?: SensorStatus;
}

export type SensorStatus = 'online' | 'offline' | 'stale';

export interface SensorStatusPayload {
  sensorId: string;
  status: SensorStatus;
  since: number;
}

export type ErrorCode =
  | 'BAD_JSON'
  | 'UNKNOWN_TYPE'
  | 'BAD_ROOM'
  | 'TOO_MANY_SUBSCRIPTIONS'
  | 'RATE_LIMITED'
  | 'UNAUTHORIZED';

/** schemas/ws-server-message.schema.json */
export type ServerMessage =
  | { type: 'connected'; payload: { version: string; heartbeatMs: number; authRequired?: boolean } }
  | { type: 'authenticated'; id?: string; payload: { rooms?: string[]; expiresAt?: number } }
  | { type: 'subscribed' | 'unsubscribed'; id?: string; payload: { room: string } }
  | { type: 'sensor.reading'; payload: SensorReading }
  | { type: 'sensor.status'; payload: SensorStatusPayload }
  | { type: 'pong'; id?: string }
  | { type: 'error'; id?: string; payload: { code: ErrorCode | string; message: string } };

/** schemas/ws-client-message.schema.json */
export type ClientMessage =
  | { type: 'subscribe'; id?: string; payload: { room: string; since?: number; maxRateHz?: number } }
  | { type: 'unsubscribe'; id?: string; payload: { room: string } }
  | { type: 'ping'; id?: string }
  | { type: 'auth'; id?: string; payload: { token: string } };

export const SENSOR_ID_PATTERN = /^[A-Za-z0-9._:~-]{1,128}$/;
const MAX_STRING_VALUE_BYTES = 128;

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

export function isReadingValue(v: unknown): v is ReadingValue {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v === 'boolean') return true;
  if (typeof v === 'string') return new TextEncoder().encode(v).length <= MAX_STRING_VALUE_BYTES;
  return false;
}

/** Runtime guard for one reading, as received over WebSocket or REST. */
export function isSensorReading(v: unknown): v is SensorReading {
  if (!isObject(v)) return false;
  return (
    typeof v['sensorId'] === 'string' &&
    SENSOR_ID_PATTERN.test(v['sensorId']) &&
    isReadingValue(v['value']) &&
    optionalString(v, 'unit') &&
    optionalString(v, 'topic') &&
    isInteger(v['timestamp']) &&
    isInteger(v['receivedAt']) &&
    isInteger(v['seq']) &&
    v['seq'] >= 0
  );
}

function isStatusPayload(v: unknown): v is SensorStatusPayload {
  if (!isObject(v)) return false;
  return (
    typeof v['sensorId'] === 'string' &&
    SENSOR_ID_PATTERN.test(v['sensorId']) &&
    (v['status'] === 'online' || v['status'] === 'offline' || v['status'] === 'stale') &&
    isInteger(v['since'])
  );
}

function hasRoom(v: unknown): v is { room: string } {
  return isObject(v) && typeof v['room'] === 'string';
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
  if (!isObject(msg) || typeof msg['type'] !== 'string') return null;
  if (!optionalString(msg, 'id')) return null;
  const p = msg['payload'];
  switch (msg['type']) {
    case 'connected':
      if (!isObject(p) || typeof p['version'] !== 'string') return null;
      if (!isInteger(p['heartbeatMs']) || p['heartbeatMs'] <= 0) return null;
      if (p['authRequired'] !== undefined && typeof p['authRequired'] !== 'boolean') return null;
      return msg as ServerMessage;
    case 'authenticated':
      if (!isObject(p)) return null;
      if (p['rooms'] !== undefined && !(Array.isArray(p['rooms']) && p['rooms'].every((r) => typeof r === 'string'))) {
        return null;
      }
      if (p['expiresAt'] !== undefined && !isInteger(p['expiresAt'])) return null;
      return msg as ServerMessage;
    case 'subscribed':
    case 'unsubscribed':
      return hasRoom(p) ? (msg as ServerMessage) : null;
    case 'sensor.reading':
      return isSensorReading(p) ? (msg as ServerMessage) : null;
    case 'sensor.status':
      return isStatusPayload(p) ? (msg as ServerMessage) : null;
    case 'pong':
      return msg as ServerMessage;
    case 'error':
      if (!isObject(p) || typeof p['code'] !== 'string' || typeof p['message'] !== 'string') return null;
      return msg as ServerMessage;
    default:
      return null;
  }
}

/** Keeps the valid readings of a REST answer (an array); anything else gives []. */
export function parseReadingList(body: unknown): SensorReading[] {
  if (!Array.isArray(body)) return [];
  return body.filter(isSensorReading);
}

export function encodeClientMessage(msg: ClientMessage): string {
  return JSON.stringify(msg);
}

export function roomForAll(): string {
  return 'sensor:*';
}
