// Routes parsed server messages (docs/PROTOCOL.md §3) to handlers: feed.ts's, into the store.
import type { ErrorCode, SensorMetaPayload, SensorReading, SensorStatusPayload, ServerMessage } from './protocol';

export interface MessageHandlers {
  reading(r: SensorReading): void;
  status(s: SensorStatusPayload): void;
  /** The bridge forgot the sensor (DELETE /api/sensors/{id}, --forget-after). */
  removed(sensorId: string): void;
  /** The sensor's discovery config arrived, changed or went: its name, device class, device. */
  meta(m: SensorMetaPayload): void;
  /** A new connection; instance: the bridge's (docs/PROTOCOL.md §3), null from one too old to say. */
  connected?(version: string, heartbeatMs: number, instance: string | null): void;
  serverError?(code: ErrorCode | string, message: string): void;
}

export function dispatchMessage(msg: ServerMessage, h: MessageHandlers): void {
  switch (msg.type) {
    case 'sensor.reading':
      h.reading(msg.payload);
      break;
    case 'sensor.status':
      h.status(msg.payload);
      break;
    case 'sensor.removed':
      h.removed(msg.payload.sensorId);
      break;
    case 'sensor.meta':
      h.meta(msg.payload);
      break;
    case 'connected':
      h.connected?.(msg.payload.version, msg.payload.heartbeatMs, msg.payload.instance ?? null);
      break;
    case 'error':
      h.serverError?.(msg.payload.code, msg.payload.message);
      break;
    case 'subscribed':
    case 'unsubscribed':
    case 'authenticated':
    case 'pong':
      break;
    default: {
      // Every type of the schema is handled above: a new one does not compile until it is.
      const unhandled: never = msg;
      return unhandled;
    }
  }
}
