// The detail dialog of one sensor: opening it (from a tile or a #sensor=<id> link) and closing
// it, drawing it from the store, its history chart (chart_controller.ts: a range of the
// bridge's series plus the live readings since), and removing an offline or stale sensor from
// the bridge (ask, confirm, DELETE). While it is open its sensor comes at full rate
// (live_rooms.ts), the grid's room being rate-limited.
import type { RemoveOutcome } from './api';
import { ChartController, type ChartView } from './chart_controller';
import type { SeriesQuery } from './chart_range';
import type { SensorReading, SeriesAnswer } from './protocol';
import { pointOf, type SensorStore, type TileState } from './store';
import { browserTimers, type Timers } from './timers';
import type { DetailModel, RemovalModel } from './view/detail';
import { detailModel, type Freshness } from './view_model';

/** The scheduler key of the open dialog. */
export const DETAIL_KEY = '\u0000detail';
/** After a 204, how long the sensor.removed message may take before the page forgets it itself. */
export const REMOVED_WAIT_MS = 2_000;

/** Only a sensor that is not live can be removed: a live one would come straight back. */
export function removable(state: TileState): boolean {
  return state === 'offline' || state === 'stale';
}

/** The dialog as this controller drives it (view/detail.ts's DetailView; a fake in tests). */
export interface DetailDialog extends ChartView {
  readonly openId: string | null;
  open(id: string, onClosed: (id: string) => void): void;
  render(m: DetailModel): void;
  renderAge(age: string, state: DetailModel['state']): void;
  renderRemoval(m: RemovalModel): void;
  close(): void;
}

/** The page's address: the open dialog is in its hash, `#sensor=<id>`. */
export interface PageAddress {
  readonly location: { readonly hash: string; readonly pathname: string; readonly search: string };
  readonly history: { replaceState(data: unknown, unused: string, url: string): void } | null;
}

export interface DetailDeps {
  view: DetailDialog;
  store: SensorStore;
  freshness: Freshness;
  address: PageAddress;
  /** GET /api/sensors/{id}/series with `query`; null when there was no usable answer. */
  fetchSeries: (id: string, query: SeriesQuery, signal: AbortSignal) => Promise<SeriesAnswer | null>;
  /** The address of GET /api/sensors/{id}/series with `query` (the chart's CSV link). */
  seriesHref: (id: string, query: SeriesQuery) => string;
  /** Asks for a render (render()) in the next frame. */
  markDirty: (key: string) => void;
  /** The dialog closed: where focus goes back to. */
  onClosed: (id: string) => void;
  /** DELETE /api/sensors/{id}. */
  removeSensor: (id: string) => Promise<RemoveOutcome>;
  /** Forgets the sensor on this page the way a sensor.removed message does (when none came). */
  forget: (id: string) => void;
  /** Every reading of the open sensor, not the grid's few a second: joined on open, left on close. */
  follow?: { follow(id: string): void; unfollow(id: string): void };
  now?: () => number;
  timers?: Timers;
}

/** The removal steps of the open dialog (drawn 'hidden' while the sensor is live). */
interface Removal {
  step: 'offer' | 'confirm' | 'busy';
  error: string | null;
}

const NO_REMOVAL: Removal = { step: 'offer', error: null };

/** The id in a `#sensor=<id>` hash, or null. */
export function sensorFromHash(hash: string): string | null {
  const m = /^#sensor=(.+)$/.exec(hash);
  if (!m?.[1]) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

export class DetailController {
  /** The open dialog's chart: its range buttons and drag-to-zoom drive it (main.ts). */
  readonly chart: ChartController;
  private removal: Removal = NO_REMOVAL;
  /** The sensor whose every reading is asked for (the open one). */
  private followed: string | null = null;
  /** Sensors removed by this page whose sensor.removed has not come yet: id → fallback timer. */
  private readonly awaiting = new Map<string, unknown>();
  private readonly now: () => number;
  private readonly timers: Timers;

  constructor(private readonly deps: DetailDeps) {
    this.now = deps.now ?? Date.now;
    this.timers = deps.timers ?? browserTimers;
    this.chart = new ChartController({
      view: deps.view,
      fetchSeries: deps.fetchSeries,
      seriesHref: deps.seriesHref,
      markDirty: () => deps.markDirty(DETAIL_KEY),
      now: this.now,
    });
  }

  get openId(): string | null {
    return this.deps.view.openId;
  }

  open(id: string): void {
    const entry = this.deps.store.get(id);
    if (!entry) return;
    this.removal = NO_REMOVAL;
    this.follow(id);
    this.deps.view.open(id, (closed) => this.closed(closed));
    // After the dialog is shown: the chart's width sets how many points are asked for.
    this.chart.open(id);
    this.render();
    this.deps.address.history?.replaceState(null, '', `#sensor=${encodeURIComponent(id)}`);
  }

  /** Opens the sensor the address names, once the store knows it and no dialog is open. */
  openFromAddress(): void {
    const id = sensorFromHash(this.deps.address.location.hash);
    if (id === null || this.openId !== null) return;
    if (this.deps.store.get(id)) this.open(id);
  }

  /** After a REST refresh (a reconnect): the open chart fetches its window again, and a linked one opens. */
  refreshed(): void {
    if (this.openId !== null) this.chart.reload();
    this.openFromAddress();
  }

  /** A reading the store accepted: a point on the open chart if it is this sensor's. */
  readingApplied(id: string, r: SensorReading): void {
    if (this.openId === id) this.chart.reading(pointOf(r));
  }

  /** The sensor was forgotten: a dialog showing it closes. */
  removed(id: string): void {
    this.stopAwaiting(id);
    if (this.openId === id) this.deps.view.close();
  }

  /** "Remove sensor": asks to confirm (only while the open sensor is offline or stale). */
  askRemove(): void {
    const state = this.openState();
    if (state === null || !removable(state) || this.removal.step === 'busy') return;
    this.setRemoval({ step: 'confirm', error: null }, state);
  }

  /** "Cancel": back to the offer, nothing sent. */
  cancelRemove(): void {
    const state = this.openState();
    if (state === null || this.removal.step !== 'confirm') return;
    this.setRemoval(NO_REMOVAL, state);
  }

  /**
   * "Remove", confirmed: DELETE. On success the sensor.removed message closes the dialog and
   * takes the tile; if it does not come within REMOVED_WAIT_MS (the socket is down), the page
   * forgets the sensor itself. A refusal shows the bridge's reason and keeps the dialog open.
   */
  async confirmRemove(): Promise<void> {
    const id = this.openId;
    const state = this.openState();
    if (id === null || state === null || this.removal.step !== 'confirm') return;
    const mine: Removal = { step: 'busy', error: null };
    this.setRemoval(mine, state);
    this.awaiting.set(id, null);
    const outcome = await this.deps.removeSensor(id);
    if (outcome.ok) {
      if (this.awaiting.has(id)) this.awaiting.set(id, this.timers.setTimeout(() => this.notRemoved(id), REMOVED_WAIT_MS));
      return;
    }
    this.stopAwaiting(id);
    // The dialog closed or was reopened meanwhile: that one starts afresh.
    if (this.removal !== mine) return;
    this.setRemoval({ step: 'offer', error: outcome.message }, this.openState() ?? state);
  }

  /** The store changed for `id`: redraw the dialog in the next frame if it shows that sensor. */
  changed(id: string): void {
    if (this.openId === id) this.deps.markDirty(DETAIL_KEY);
  }

  render(): void {
    const id = this.openId;
    const entry = id === null ? undefined : this.deps.store.get(id);
    if (!entry) return;
    const model = detailModel(entry, this.deps.store, this.deps.freshness, this.now());
    this.deps.view.render(model);
    this.chart.render({ id: entry.id, unit: entry.latest?.unit ?? '', deviceClass: model.deviceClass });
    this.drawRemoval(model.state);
  }

  /** Once a second: the age and the state it implies. */
  tick(now: number): void {
    const open = this.openId;
    const entry = open === null ? undefined : this.deps.store.get(open);
    if (!entry) return;
    const state = this.deps.freshness.stateOf(entry, now);
    this.deps.view.renderAge(this.deps.freshness.ageText(entry, now), state);
    this.drawRemoval(state);
    this.chart.tick();
  }

  private closed(id: string): void {
    this.chart.close();
    this.removal = NO_REMOVAL;
    this.follow(null);
    const loc = this.deps.address.location;
    this.deps.address.history?.replaceState(null, '', `${loc.pathname}${loc.search}`);
    this.deps.onClosed(id);
  }

  /** Asks for every reading of `id` (null: of none), leaving the room of the one before. */
  private follow(id: string | null): void {
    if (this.followed === id) return;
    if (this.followed !== null) this.deps.follow?.unfollow(this.followed);
    this.followed = id;
    if (id !== null) this.deps.follow?.follow(id);
  }

  /** The state of the open sensor now, or null when no dialog shows a known sensor. */
  private openState(): TileState | null {
    const id = this.openId;
    const entry = id === null ? undefined : this.deps.store.get(id);
    return entry ? this.deps.freshness.stateOf(entry, this.now()) : null;
  }

  private setRemoval(r: Removal, state: TileState): void {
    this.removal = r;
    this.drawRemoval(state);
  }

  /** A sensor that turns live again loses the offer, its question and any old error. */
  private drawRemoval(state: TileState): void {
    if (this.removal.step === 'busy' || removable(state)) {
      this.deps.view.renderRemoval({ ...this.removal });
      return;
    }
    this.removal = NO_REMOVAL;
    this.deps.view.renderRemoval({ step: 'hidden', error: null });
  }

  /** The bridge said 204 but no sensor.removed came: forget the sensor as that message would. */
  private notRemoved(id: string): void {
    if (!this.awaiting.delete(id)) return;
    this.deps.forget(id);
  }

  private stopAwaiting(id: string): void {
    const timer = this.awaiting.get(id);
    if (timer !== undefined && timer !== null) this.timers.clearTimeout(timer);
    this.awaiting.delete(id);
  }
}
