// The model: latest reading per sensor, a bounded history ring for sparklines, the server's
// status for the sensor, and the learned usual interval between readings (for staleness).
// No DOM, no I/O.
import type { ReadingValue, SensorReading, SensorStatus, SensorStatusPayload } from './protocol';
import { RingBuffer } from './ring';

export interface Point {
  /** ms since the epoch: the sensor's timestamp (see pointOf) */
  t: number;
  v: ReadingValue;
  seq: number;
}

export type ValueKind = 'number' | 'boolean' | 'string';
export type TileState = 'live' | 'stale' | 'offline';

export interface SensorEntry {
  readonly id: string;
  latest: SensorReading;
  readonly history: RingBuffer<Point>;
  /** Recent inter-arrival times in ms, bridge time. */
  readonly intervals: RingBuffer<number>;
  serverStatus: SensorStatus | null;
  statusSince: number | null;
}

export interface StoreOptions {
  historyCapacity: number;
  intervalSamples: number;
  /** Stale after staleFactor × the median interval ... */
  staleFactor: number;
  /** ... but never sooner than this. */
  minStaleMs: number;
  /** Until an interval is learned (fewer than minIntervalSamples), stale after this. */
  defaultStaleMs: number;
  minIntervalSamples: number;
}

export const DEFAULT_STORE_OPTIONS: StoreOptions = {
  historyCapacity: 120,
  intervalSamples: 16,
  staleFactor: 3,
  minStaleMs: 10_000,
  defaultStaleMs: 5 * 60_000,
  minIntervalSamples: 2,
};

export type ApplyResult = 'added' | 'updated' | 'ignored';

export function kindOf(v: ReadingValue): ValueKind {
  return typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string';
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Whether `next` should replace `current`. Normally the higher seq wins (seq is per sensor,
 * strictly increasing, kept across bridge restarts). A lower seq with a later receivedAt means
 * the bridge lost its sequence (e.g. a fresh database): the newer reading still wins.
 */
export function isNewer(next: SensorReading, current: SensorReading): boolean {
  if (next.seq > current.seq) return true;
  if (next.seq === current.seq) return false;
  return next.receivedAt > current.receivedAt;
}

/** Merges two point lists into one sorted by time, without duplicates, keeping the newest `cap`. */
export function mergePoints(a: readonly Point[], b: readonly Point[], cap: number): Point[] {
  const byKey = new Map<string, Point>();
  for (const p of [...a, ...b]) byKey.set(`${p.seq}@${p.t}`, p);
  const merged = [...byKey.values()].sort((x, y) => x.t - y.t || x.seq - y.seq);
  return merged.length > cap ? merged.slice(merged.length - cap) : merged;
}

/** Beyond this, a sensor's own clock is not trusted for charts (e.g. reset to 1970). */
export const MAX_CLOCK_DRIFT_MS = 24 * 3_600_000;

/**
 * A chart point. Time is the sensor's own timestamp, so buffered readings delivered in a burst
 * still plot at the moments they were taken, unless that clock is wildly off.
 */
export function pointOf(r: SensorReading): Point {
  const t = Math.abs(r.timestamp - r.receivedAt) <= MAX_CLOCK_DRIFT_MS ? r.timestamp : r.receivedAt;
  return { t, v: r.value, seq: r.seq };
}

export class SensorStore {
  private readonly sensors = new Map<string, SensorEntry>();
  readonly options: StoreOptions;

  constructor(options: Partial<StoreOptions> = {}) {
    this.options = { ...DEFAULT_STORE_OPTIONS, ...options };
  }

  get size(): number {
    return this.sensors.size;
  }

  get(id: string): SensorEntry | undefined {
    return this.sensors.get(id);
  }

  ids(): IterableIterator<string> {
    return this.sensors.keys();
  }

  /** Merges one reading (live, snapshot or REST alike); older or duplicate readings are ignored. */
  applyReading(r: SensorReading): ApplyResult {
    const entry = this.sensors.get(r.sensorId);
    if (!entry) {
      const created: SensorEntry = {
        id: r.sensorId,
        latest: r,
        history: new RingBuffer<Point>(this.options.historyCapacity),
        intervals: new RingBuffer<number>(this.options.intervalSamples),
        serverStatus: null,
        statusSince: null,
      };
      created.history.push(pointOf(r));
      this.sensors.set(r.sensorId, created);
      return 'added';
    }
    if (!isNewer(r, entry.latest)) return 'ignored';
    const gap = r.receivedAt - entry.latest.receivedAt;
    if (r.seq > entry.latest.seq && gap > 0) entry.intervals.push(gap);
    if (r.seq < entry.latest.seq) entry.history.clear(); // a reset sequence: old points would interleave
    entry.latest = r;
    entry.history.push(pointOf(r));
    // A fresh reading means the sensor is talking again, whatever its last status said.
    if (entry.serverStatus === 'stale' || entry.serverStatus === 'offline') {
      if (r.receivedAt > (entry.statusSince ?? 0)) entry.serverStatus = 'online';
    }
    return 'updated';
  }

  /**
   * Merges readings from GET /history into the ring (a tile's sparkline right after page load),
   * and learns the usual interval from them if nothing has been learned yet.
   */
  mergeHistory(id: string, readings: readonly SensorReading[]): boolean {
    const e = this.sensors.get(id);
    const mine = readings.filter((r) => r.sensorId === id);
    if (!e || mine.length === 0) return false;
    const merged = mergePoints(mine.map(pointOf), e.history.toArray(), e.history.capacity);
    e.history.clear();
    for (const p of merged) e.history.push(p);
    if (e.intervals.length === 0) {
      const arrivals = mine.map((r) => r.receivedAt).sort((a, b) => a - b);
      for (let i = 1; i < arrivals.length; i++) {
        const gap = (arrivals[i] as number) - (arrivals[i - 1] as number);
        if (gap > 0) e.intervals.push(gap);
      }
    }
    const newest = mine.reduce((a, b) => (isNewer(b, a) ? b : a));
    if (isNewer(newest, e.latest)) e.latest = newest;
    return true;
  }

  /** Applies a sensor.status; unknown sensors are ignored until they send a reading. */
  applyStatus(s: SensorStatusPayload): boolean {
    const entry = this.sensors.get(s.sensorId);
    if (!entry) return false;
    if (entry.statusSince !== null && s.since < entry.statusSince) return false;
    const changed = entry.serverStatus !== s.status || entry.statusSince !== s.since;
    entry.serverStatus = s.status;
    entry.statusSince = s.since;
    return changed;
  }

  /** The learned usual interval (median inter-arrival), or null while still learning. */
  usualIntervalMs(id: string): number | null {
    const e = this.sensors.get(id);
    if (!e || e.intervals.length < this.options.minIntervalSamples) return null;
    return median(e.intervals.toArray());
  }

  /** How long without a reading before the sensor counts as stale. */
  staleAfterMs(id: string): number {
    const usual = this.usualIntervalMs(id);
    if (usual === null) return this.options.defaultStaleMs;
    return Math.max(this.options.minStaleMs, this.options.staleFactor * usual);
  }

  /** `ageMs` is the time since the latest reading, in the caller's clock. */
  stateOf(id: string, ageMs: number): TileState {
    const e = this.sensors.get(id);
    if (!e) return 'offline';
    if (e.serverStatus === 'offline') return 'offline';
    if (e.serverStatus === 'stale') return 'stale';
    return ageMs > this.staleAfterMs(id) ? 'stale' : 'live';
  }

  history(id: string): Point[] {
    return this.sensors.get(id)?.history.toArray() ?? [];
  }
}
