// Feeds the store: live socket messages (docs/PROTOCOL.md §3), each reading with the instance of
// the bridge the socket is on, and the REST list of latest readings (docs/PROTOCOL.md §6), whose
// instance is unknown; and says which sensor each accepted change touched.
import type { ServerClock } from './clock';
import { dispatchMessage } from './dispatch';
import type { SensorReading, ServerMessage } from './protocol';
import type { ApplyResult, SensorStore } from './store';

/**
 * A change the store accepted (never 'ignored'); `reading` is the reading applied, null for a
 * status, a meta or a removal.
 */
export type ChangeListener = (id: string, result: Exclude<ApplyResult, 'ignored'>, reading: SensorReading | null) => void;

export class StoreFeed {
  /** The instance the socket's bridge named in its last `connected` (null: none yet, or too old to say). */
  private instance: string | null = null;

  constructor(
    private readonly store: SensorStore,
    private readonly clock: ServerClock,
    /** GET /api/sensors: null when the bridge did not answer. */
    private readonly fetchLatest: () => Promise<SensorReading[] | null>,
    private readonly onChange: ChangeListener,
    private readonly now: () => number = Date.now,
  ) {}

  /** One parsed message from the socket. Live readings also calibrate the clock offset. */
  onMessage(msg: ServerMessage): void {
    dispatchMessage(msg, {
      connected: (_version, _heartbeatMs, instance) => {
        this.instance = instance;
      },
      reading: (r) => {
        this.clock.observe(r.receivedAt, this.now());
        this.applied(r.sensorId, this.store.applyReading(r, this.instance), r);
      },
      status: (s) => this.applied(s.sensorId, this.store.applyStatus(s), null),
      removed: (id) => this.applied(id, this.store.remove(id), null),
      meta: (m) => this.applied(m.sensorId, this.store.applyMeta(m), null),
      serverError: (code, message) => console.warn(`sensor-bridge: server error ${code}: ${message}`),
    });
  }

  /**
   * Latest values and statuses from REST: on start and after every reconnect, so no tile keeps
   * a value or state that changed while the page was away. A live status that arrives while the
   * request is in flight wins over the answer's, and so does a live sensor.meta (see
   * SensorStore.applyListed).
   */
  async refresh(): Promise<void> {
    const mark = this.store.liveMark();
    const readings = await this.fetchLatest();
    if (readings) for (const r of readings) this.applied(r.sensorId, this.store.applyListed(r, mark), r);
  }

  private applied(id: string, result: ApplyResult, r: SensorReading | null): void {
    if (result !== 'ignored') this.onChange(id, result, r);
  }
}
