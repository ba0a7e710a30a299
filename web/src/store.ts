// The model: latest reading per sensor with the bridge instance whose seq it carries (what a
// resume with `since` needs), a bounded history ring for sparklines, the server's status for the
// sensor, what its discovery config says (name, device class, device), and the learned usual
// interval between readings (for staleness).
// A sensor may be known by its status alone (a device whose only message so far is its MQTT
// will or availability topic): then it has no latest reading. No DOM, no I/O.
import type { ReadingValue, SensorMetaPayload, SensorReading, SensorStatus, SensorStatusPayload } from './protocol';
import { RingBuffer } from './ring';
import { metaOf, NO_META, sameMeta, type SensorMeta } from './sensor_meta';

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
  /** null while only a status has been heard of the sensor. */
  latest: SensorReading | null;
  /**
   * The bridge instance that gave `latest` its seq (docs/PROTOCOL.md §3, `connected`): a seq
   * compares only with seqs of the same instance. null when unknown: a REST answer (behind a load
   * balancer any bridge may have given it) or a bridge too old to name one.
   */
  instance: string | null;
  readonly history: RingBuffer<Point>;
  /** Recent inter-arrival times in ms, bridge time. */
  readonly intervals: RingBuffer<number>;
  serverStatus: SensorStatus | null;
  statusSince: number | null;
  /** The store's live counter at the last live sensor.status for this sensor (0: none). */
  statusMark: number;
  /** Name, device class and device, from the latest reading or sensor.meta. */
  meta: SensorMeta;
  /** The store's live counter at the last sensor.meta for this sensor (0: none). */
  metaMark: number;
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

export type ApplyResult = 'added' | 'updated' | 'removed' | 'ignored';

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
 * Whether `next` should replace `current`, both of one sequence as far as the page knows (the same
 * bridge instance, or one of them unknown). Normally the higher seq wins (seq is per sensor,
 * strictly increasing, kept across bridge restarts). A lower seq with a later receivedAt means the
 * sequence started again (a sensor forgotten and heard again, or another bridge's REST answer):
 * the newer reading still wins.
 */
export function isNewer(next: SensorReading, current: SensorReading): boolean {
  if (next.seq > current.seq) return true;
  if (next.seq === current.seq) return false;
  return next.receivedAt > current.receivedAt;
}

/** The same reading, as two answers give it: seq, times and value alike. */
function sameReading(a: SensorReading, b: SensorReading): boolean {
  return a.seq === b.seq && a.receivedAt === b.receivedAt && a.timestamp === b.timestamp && a.value === b.value;
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
  /** Counts live sensor.status and sensor.meta messages: see liveMark. */
  private liveCounter = 0;
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

  private create(id: string, latest: SensorReading | null, instance: string | null = null): SensorEntry {
    const created: SensorEntry = {
      id,
      latest,
      instance,
      history: new RingBuffer<Point>(this.options.historyCapacity),
      intervals: new RingBuffer<number>(this.options.intervalSamples),
      serverStatus: null,
      statusSince: null,
      statusMark: 0,
      meta: latest ? metaOf(latest) : NO_META,
      metaMark: 0,
    };
    if (latest) created.history.push(pointOf(latest));
    this.sensors.set(id, created);
    return created;
  }

  /**
   * Merges one reading (live, snapshot or REST alike) that the bridge `instance` sent (null:
   * unknown); older or duplicate readings are ignored, but a repeat of the latest one (a snapshot
   * or REST copy) still brings its meta, which is the bridge's as it sent it. A reading from
   * another instance than the latest's starts a new sequence: it is taken whatever its seq, and the
   * old seq is dropped. A REST reading's `status` is not applied here: see applyListed.
   */
  applyReading(r: SensorReading, instance: string | null = null): ApplyResult {
    return this.merge(r, Infinity, instance);
  }

  /**
   * The seq to resume `id` from on the bridge `instance` (docs/PROTOCOL.md §3, Resume: since):
   * its latest's, when that instance gave it; undefined otherwise, and the room takes a snapshot.
   */
  resumeSeq(id: string, instance: string): number | undefined {
    const e = this.sensors.get(id);
    return e?.latest && e.instance === instance ? e.latest.seq : undefined;
  }

  /** applyReading; its meta only if no live sensor.meta came after `mark` (see applyListed). */
  private merge(r: SensorReading, mark: number, instance: string | null): ApplyResult {
    const before = this.sensors.get(r.sensorId)?.latest ?? null;
    const result = this.mergeValue(r, instance);
    const entry = this.sensors.get(r.sensorId);
    // An older reading (history, a late frame) says nothing about the config now.
    const current = result !== 'ignored' || (before !== null && before.seq === r.seq);
    if (!entry || !current || entry.metaMark > mark) return result;
    const meta = metaOf(r);
    if (sameMeta(entry.meta, meta)) return result;
    entry.meta = meta;
    return result === 'ignored' ? 'updated' : result;
  }

  private mergeValue(r: SensorReading, instance: string | null): ApplyResult {
    const entry = this.sensors.get(r.sensorId);
    if (!entry) {
      this.create(r.sensorId, r, instance);
      return 'added';
    }
    if (entry.latest === null) {
      entry.latest = r;
      entry.instance = instance;
      entry.history.push(pointOf(r));
      this.endSpellBy(entry, r);
      return 'updated';
    }
    // Another bridge's seqs say nothing about this one's: its reading (the snapshot after a
    // failover) is the newest it has, whatever the numbers or the two hosts' clocks say.
    const switched = instance !== null && entry.instance !== null && instance !== entry.instance;
    if (!switched && !isNewer(r, entry.latest)) {
      // The socket's copy of a reading first heard by REST (the page's first load): now its
      // instance is known, and the sensor can resume from it.
      if (instance !== null && entry.instance === null && sameReading(r, entry.latest)) entry.instance = instance;
      return 'ignored';
    }
    const gap = r.receivedAt - entry.latest.receivedAt;
    if (!switched && r.seq > entry.latest.seq && gap > 0) entry.intervals.push(gap);
    // A new or reset sequence: old points would interleave with its seqs.
    if (switched || r.seq < entry.latest.seq) entry.history.clear();
    entry.latest = r;
    entry.instance = instance;
    entry.history.push(pointOf(r));
    this.endSpellBy(entry, r);
    return 'updated';
  }

  /** A fresh reading means the sensor is talking again, whatever its last status said. */
  private endSpellBy(entry: SensorEntry, r: SensorReading): void {
    if (entry.serverStatus === 'stale' || entry.serverStatus === 'offline') {
      if (r.receivedAt > (entry.statusSince ?? 0)) entry.serverStatus = 'online';
    }
  }

  /** The live counter now: pass it to applyListed for a REST list requested from now on. */
  liveMark(): number {
    return this.liveCounter;
  }

  /**
   * Merges one reading of a GET /api/sensors answer, with its `status`: the bridge's state when
   * it answered, which may have changed while this page was disconnected (offline, or back
   * online). `mark` is liveMark() from before the request: a live sensor.status or sensor.meta
   * that came in since is at least as new as the answer (the socket delivers changes in order),
   * so it wins.
   */
  applyListed(r: SensorReading, mark: number): ApplyResult {
    const result = this.merge(r, mark, null);
    const entry = this.sensors.get(r.sensorId);
    if (!entry || r.status === undefined || entry.statusMark > mark) return result;
    if (entry.serverStatus === r.status) return result;
    entry.serverStatus = r.status;
    // The answer holds as of the latest reading at least: only a later reading ends the spell.
    entry.statusSince = Math.max(entry.statusSince ?? 0, entry.latest?.receivedAt ?? 0);
    return result === 'ignored' ? 'updated' : result;
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
    if (e.latest === null || isNewer(newest, e.latest)) {
      e.latest = newest;
      e.instance = null; // REST: any bridge may have answered
    }
    return true;
  }

  /**
   * Applies a live sensor.status. An unknown sensor is added without a reading: a device whose
   * only message is its will or availability topic still gets a tile showing its state.
   */
  applyStatus(s: SensorStatusPayload): ApplyResult {
    const known = this.sensors.get(s.sensorId);
    const entry = known ?? this.create(s.sensorId, null);
    entry.statusMark = ++this.liveCounter;
    if (entry.statusSince !== null && s.since < entry.statusSince) return 'ignored';
    const changed = entry.serverStatus !== s.status || entry.statusSince !== s.since;
    entry.serverStatus = s.status;
    entry.statusSince = s.since;
    if (!known) return 'added';
    return changed ? 'updated' : 'ignored';
  }

  /**
   * Applies a live sensor.meta: its fields replace the sensor's (absent ones are no longer
   * known). An unknown sensor is not added: its first reading carries the same fields.
   */
  applyMeta(m: SensorMetaPayload): ApplyResult {
    const entry = this.sensors.get(m.sensorId);
    if (!entry) return 'ignored';
    entry.metaMark = ++this.liveCounter;
    const meta = metaOf(m);
    if (sameMeta(entry.meta, meta)) return 'ignored';
    entry.meta = meta;
    return 'updated';
  }

  /** The bridge forgot the sensor: so does the store. 'ignored' when it did not know it. */
  remove(id: string): ApplyResult {
    return this.sensors.delete(id) ? 'removed' : 'ignored';
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

  /**
   * `ageMs` is the time since the latest reading, in the caller's clock. A sensor known only by
   * its status is what that status says: there is no silence to measure.
   */
  stateOf(id: string, ageMs: number): TileState {
    const e = this.sensors.get(id);
    if (!e) return 'offline';
    if (e.serverStatus === 'offline') return 'offline';
    if (e.serverStatus === 'stale') return 'stale';
    if (e.latest === null) return 'live';
    return ageMs > this.staleAfterMs(id) ? 'stale' : 'live';
  }

  history(id: string): Point[] {
    return this.sensors.get(id)?.history.toArray() ?? [];
  }
}
