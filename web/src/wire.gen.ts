// GENERATED FILE, do not edit: `npm run gen:types` (web/scripts/gen-wire-types.mjs) writes it
// from schemas/*.schema.json with json-schema-to-typescript. Change the schemas, then regenerate;
// tests/unit/wire_types.test.ts fails while this file and the schemas disagree.
// Hand-written guards and parsing on top of these types: src/protocol.ts.

/**
 * A finite number, a boolean or a short string (at most 128 bytes of UTF-8).
 */
export type ReadingValue = number | boolean | string;
/**
 * Only in REST answers (GET /api/sensors, GET /api/sensors/{id}): whether the sensor is talking. online; stale = silent for several of its usual intervals; offline = its status topic said so.
 */
export type SensorStatus = 'online' | 'stale' | 'offline';
/**
 * Messages the bridge sends on /ws (docs/PROTOCOL.md §3), one JSON object per text frame.
 */
export type ServerMessage =
  | ConnectedMessage
  | AuthenticatedMessage
  | RoomAckMessage
  | ReadingMessage
  | StatusMessage
  | Removed
  | Meta
  | PongMessage
  | ErrorMessage;
export type ServerCorrelationId = string;
export type ErrorCode =
  'BAD_JSON' | 'UNKNOWN_TYPE' | 'BAD_ROOM' | 'TOO_MANY_SUBSCRIPTIONS' | 'RATE_LIMITED' | 'UNAUTHORIZED';
/**
 * Messages a browser sends on /ws (docs/PROTOCOL.md §3); each at most 4 KiB of JSON text.
 */
export type ClientMessage = RoomRequestMessage | PingMessage | AuthMessage;
/**
 * Optional id echoed back in the reply.
 */
export type ClientCorrelationId = string;
/**
 * sensor:<id> (an id: 1 to 128 bytes of UTF-8 without control characters or '*'), sensor:* or sensor:<prefix>* (a prefix under 128 bytes). The pattern counts characters where the bridge counts bytes, and leaves U+0000 and the C1 controls to the bridge: otherwise exactly the rooms the bridge accepts.
 */
export type Room = string;
/**
 * The latest reading of every sensor, sorted by sensorId; ?prefix= keeps the ids starting with it (docs/PROTOCOL.md §6). GET /api/sensors/{id} answers one reading: sensor-reading.schema.json.
 */
export type SensorList = SensorReading[];
/**
 * Readings of one sensor from its bounded history, oldest first, at most ?limit=N (1..1000, default 100): the newest N, or with ?since=SEQ the first N with a seq above SEQ (docs/PROTOCOL.md §6).
 *
 * @maxItems 1000
 */
export type SensorHistory = SensorReading[];
/**
 * A sensor's kept readings over a time range, chart-sized (docs/PROTOCOL.md §6, Series): raw points {t, v} when they fit in maxPoints, else equal-width buckets {t, min, max, mean, count, last} of numbers (for booleans and text: the last value of each bucket as {t, v}). GET /api/series answers {from, to, series: [one per sensor under the prefix]}.
 */
export type SensorSeries =
  | One
  | {
      /**
       * ms since the epoch
       */
      from: number;
      /**
       * ms since the epoch
       */
      to: number;
      /**
       * @maxItems 1000
       */
      series: Members[];
    };
export type One = Members;

/**
 * Each schema file of schemas/ and the type it is exported as.
 */
export interface WireSchemas {
  'sensor-reading.schema.json': SensorReading;
  'ws-server-message.schema.json': ServerMessage;
  'ws-client-message.schema.json': ClientMessage;
  'rest-sensors.schema.json': SensorList;
  'rest-history.schema.json': SensorHistory;
  'rest-series.schema.json': SensorSeries;
  'rest-health.schema.json': HealthReport;
  'rest-stats.schema.json': StatsReport;
  'rest-error.schema.json': RestError;
}
/**
 * One normalized sensor reading (docs/PROTOCOL.md §1). Only draft-04-compatible keywords are used so RapidJSON 1.1's validator understands it too.
 */
export interface SensorReading {
  /**
   * Sensor id, from the payload or the topic: 1 to 128 bytes of UTF-8 without control characters or '*' (the pattern counts characters, the bridge bytes; it also leaves U+0000 (RapidJSON's pattern matching stops there) and the C1 controls U+0080 to U+009F to the bridge's check).
   */
  sensorId: string;
  value: ReadingValue;
  /**
   * Unit of the value, e.g. °C (at most 128 bytes of UTF-8, like string values); absent when the payload gave none.
   */
  unit?: string;
  /**
   * The sensor's own time (or receive time when it gave none), integer ms since the epoch.
   */
  timestamp: number;
  /**
   * When the bridge received the reading, integer ms since the epoch.
   */
  receivedAt: number;
  /**
   * Per-sensor sequence number, strictly increasing, survives bridge restarts.
   */
  seq: number;
  /**
   * The MQTT topic the reading arrived on.
   */
  topic?: string;
  /**
   * Only on a reading that came from a message the MQTT broker retained and that was new to the bridge (first start, new sensor, a value changed while the bridge was away). Its timestamp says how old it is; a retained copy of the reading the bridge already has is no new reading (docs/PROTOCOL.md §1).
   */
  retained?: true;
  /**
   * The sensor's name, from its Home Assistant discovery config (docs/CONVENTIONS.md): "Living Room Temperature". Absent when no config names it.
   */
  name?: string;
  /**
   * Home Assistant's device_class from the sensor's discovery config: temperature, humidity, battery, door, motion, ... Absent when unknown.
   */
  deviceClass?: string;
  /**
   * The device the sensor belongs to, from its discovery config: id (its first identifier) and name, each when known.
   */
  device?: {
    id?: string;
    name?: string;
  };
  /**
   * Only on the reading sent for a subscribe with `since` whose later readings are no longer in the history: this is the latest, readings in between are missing; refetch (GET /api/sensors/{id}/history).
   */
  gap?: true;
  status?: SensorStatus;
}
/**
 * First message on every connection.
 */
export interface ConnectedMessage {
  type: 'connected';
  payload: {
    version: string;
    /**
     * The bridge's instance: 128 random bits as 32 lower-case hex digits, made with its database and kept in it. A seq, and a since, mean something only with the instance that gave the seq (docs/PROTOCOL.md §3, Resume: since); compare it for equality only.
     */
    instance: string;
    heartbeatMs: number;
    /**
     * true: the bridge needs a token and the handshake carried none; send an auth message first.
     */
    authRequired?: boolean;
  };
}
/**
 * Answers a valid auth message; id echoes its id.
 */
export interface AuthenticatedMessage {
  type: 'authenticated';
  id?: ServerCorrelationId;
  payload: {
    /**
     * The room patterns the token may subscribe to; absent: every room.
     */
    rooms?: string[];
    /**
     * JWT only: when the token stops being accepted (exp plus the bridge's leeway), ms since the epoch; the connection is closed with 1008 then unless a fresh auth message came first.
     */
    expiresAt?: number;
  };
}
/**
 * Acknowledges a subscribe or unsubscribe; id echoes the request's id.
 */
export interface RoomAckMessage {
  type: 'subscribed' | 'unsubscribed';
  id?: ServerCorrelationId;
  payload: {
    room: string;
  };
}
export interface ReadingMessage {
  type: 'sensor.reading';
  payload: SensorReading;
}
/**
 * A sensor's online state changed (status topics, or the bridge's own staleness).
 */
export interface StatusMessage {
  type: 'sensor.status';
  payload: SensorStatusPayload;
}
export interface SensorStatusPayload {
  sensorId: string;
  status: 'online' | 'offline' | 'stale';
  since: number;
}
/**
 * The sensor was forgotten (DELETE /api/sensors/{id}, or silent for --forget-after): its latest value, history and status are gone. A later reading brings it back as a new sensor, its seq starting again.
 */
export interface Removed {
  type: 'sensor.removed';
  payload: {
    sensorId: string;
  };
}
/**
 * What the sensor's Home Assistant discovery config says changed (a config arrived, changed or was removed): name, deviceClass and device as readings carry them; each absent when no longer known. Readings after it carry the same fields.
 */
export interface Meta {
  type: 'sensor.meta';
  payload: {
    sensorId: string;
    name?: string;
    deviceClass?: string;
    device?: {
      id?: string;
      name?: string;
    };
  };
}
export interface PongMessage {
  type: 'pong';
  id?: ServerCorrelationId;
}
export interface ErrorMessage {
  type: 'error';
  id?: ServerCorrelationId;
  payload: {
    code: ErrorCode;
    message: string;
  };
}
export interface RoomRequestMessage {
  type: 'subscribe' | 'unsubscribe';
  id?: ClientCorrelationId;
  payload: RoomRequestPayload;
}
export interface RoomRequestPayload {
  room: Room;
  /**
   * subscribe only: at most this many readings a second per sensor through this room; the newest wins and the last one is always delivered. Absent: every reading. With overlapping rooms the fastest applies.
   */
  maxRateHz?: number;
  /**
   * subscribe to an exact room (sensor:<id>) only: the last seq the client has from this bridge instance (connected.payload.instance; a seq from another instance means nothing here). The server replays the readings after it from the history, or sends the latest with "gap": true when the history no longer holds them all.
   */
  since?: number;
}
export interface PingMessage {
  type: 'ping';
  id?: ClientCorrelationId;
}
/**
 * Authenticates the connection when the bridge has a --token-file and the handshake carried no token (connected.payload.authRequired): first message, within --auth-timeout-ms, else the connection is closed with 1008. Until then only auth and ping are accepted (others get UNAUTHORIZED). A valid token is answered with `authenticated`; an invalid one closes the connection with 1008. Sent again later it replaces the grant (a refreshed JWT).
 */
export interface AuthMessage {
  type: 'auth';
  id?: ClientCorrelationId;
  payload: {
    /**
     * A static token of the token file or an HS256 JWT.
     */
    token: string;
  };
}
export interface Members {
  /**
   * ms since the epoch
   */
  from?: number;
  /**
   * ms since the epoch
   */
  to?: number;
  sensorId: string;
  /**
   * raw: every reading in the range; 1m, 1h: the minute or hour aggregates as stored; <N>ms: buckets N ms wide (from the raw tier: starting at from; from an aggregate tier: a multiple of its width, aligned to it).
   */
  resolution: string;
  /**
   * Where the answer comes from: raw readings, or the minute (1m) or hour (1h) aggregates. Buckets never mix tiers.
   */
  tier: 'raw' | '1m' | '1h';
  /**
   * The oldest time the answer's tier holds for the sensor (an hour's or day's start on disk, or the oldest reading in memory): a range starting before it has nothing there to show.
   */
  heldFrom: number;
  /**
   * @maxItems 10000
   */
  points: (
    | {
        t: number;
        v: number | boolean | string;
      }
    | {
        t: number;
        min: number;
        max: number;
        mean: number;
        count: number;
        last: number;
      }
  )[];
}
/**
 * 200 with status ok when MQTT is connected and the database works, otherwise 503 with status degraded (docs/PROTOCOL.md §6).
 */
export interface HealthReport {
  status: 'ok' | 'degraded';
  mqtt: 'connected' | 'disconnected';
  /**
   * The --mqtt-url in use, or the one being tried while disconnected, as scheme://host:port (no user name or password). With several --mqtt-url the bridge fails over in their order.
   */
  broker: string;
  db: 'ok' | 'error' | 'recovered';
  /**
   * The bridge's version, e.g. 0.1.0.
   */
  version: string;
  /**
   * The bridge's instance, as in the WebSocket's connected message: the same for as long as its database lives, a new one with a new database (docs/PROTOCOL.md §3, Resume: since).
   */
  instance: string;
  /**
   * true when the bridge has a --token-file: /ws, /metrics and every /api route but this one need a token. Health itself stays public for load balancers.
   */
  authRequired: boolean;
}
/**
 * Counters since start-up (docs/PROTOCOL.md §6). Every counter is a non-negative integer.
 */
export interface StatsReport {
  ingest: {
    received: number;
    accepted: number;
    /**
     * QoS 1/2 resends (DUP) of messages already processed: skipped, not in received's other counters.
     */
    duplicates: number;
    /**
     * Retained messages that repeat (or predate) the sensor's current reading: accepted, but no new reading.
     */
    retainedSkipped: number;
    /**
     * Messages on topics that are no device's (Zigbee2MQTT's bridge/... topics, commands to devices): skipped without a reading or a rejection.
     */
    ignored: number;
    /**
     * Home Assistant discovery configs in use now (sensor and binary_sensor components): each defines one sensor (docs/CONVENTIONS.md). A gauge.
     */
    discovered: number;
    /**
     * Accepted messages that also gave readings for new sensors past --max-sensors: those readings were refused, the message logged and dead-lettered with reason too_many_sensors.
     */
    partlyRefused: number;
    rejected: number;
    /**
     * Rejected messages by snake_case reason (invalid_json, too_large, too_deep, bad_id, non_finite, bad_string, no_value, too_many_sensors, queue_full, ...).
     */
    rejectedByReason: {
      [k: string]: number | undefined;
    };
    /**
     * Rejected (and partly refused) messages republished on --dead-letter-topic.
     */
    deadLettered: number;
    /**
     * Rejected messages that could not be queued for the dead-letter topic.
     */
    deadLetterFailed: number;
  };
  ws: {
    connections: number;
    subscriptions: number;
    sent: number;
    dropped: number;
    /**
     * Readings a lagging client never got because a newer one replaced them.
     */
    conflated?: number;
    /**
     * Tokens refused (REST, WebSocket handshake, auth message, re-check after a reload); requests without any token are not counted.
     */
    authFailures?: number;
    /**
     * Client messages dropped over --max-message-rate.
     */
    rateLimited?: number;
    /**
     * Clients closed as slow consumers (close code 4008): over --max-buffered-bytes for --slow-grace-ms, or twice it at once, or furthest behind past twice --max-queued-bytes.
     */
    slowClosed?: number;
    /**
     * Bytes owed to all clients together past 16 KiB each (a gauge): what --max-queued-bytes bounds.
     */
    queuedBytes?: number;
  };
  store: {
    sensors: number;
    commits: number;
    written: number;
    failed: number;
    unpersisted: number;
    historyWritten?: number;
    historyDropped?: number;
    /**
     * Bytes of the database file's pages in use: what --history-budget holds.
     */
    dbBytes?: number;
    /**
     * Size of the database file on disk (pages in use and free). A gauge.
     */
    fileBytes?: number;
    /**
     * Size of the database's -wal file on disk, cut back to 4 MiB after each checkpoint (docs/OPERATIONS.md, Durability). A gauge.
     */
    walBytes?: number;
    /**
     * Raw readings held in the time-tiered history.
     */
    tierPoints?: number;
    /**
     * Sensor-hours of raw history compacted (one row, minute and hour aggregates).
     */
    tierCompactions?: number;
    /**
     * Hours or days of history deleted to hold --history-budget.
     */
    tierEvictions?: number;
    /**
     * Readings not queued for the time-tiered history (writer backlog full).
     */
    tierDropped?: number;
  };
}
/**
 * Body of every non-2xx JSON reply under /api (docs/PROTOCOL.md §6), e.g. 404 NOT_FOUND, 400 BAD_REQUEST, 405 METHOD_NOT_ALLOWED. The message may quote client input, cut to 512 bytes of valid UTF-8.
 */
export interface RestError {
  error: {
    /**
     * Upper-case machine-readable code.
     */
    code: string;
    /**
     * Human-readable explanation.
     */
    message: string;
  };
}
