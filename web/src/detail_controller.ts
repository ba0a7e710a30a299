// The detail dialog of one sensor: opening it (from a tile or a #sensor=<id> link) and closing
// it, its series (REST history plus the live points since), and drawing it from the store.
import type { SensorReading } from './protocol';
import { mergePoints, pointOf, type Point, type SensorStore } from './store';
import type { DetailModel } from './view/detail';
import { detailModel, type Freshness } from './view_model';

/** The scheduler key of the open dialog. */
export const DETAIL_KEY = '\u0000detail';
/** The dialog's chart keeps at most this many points. */
export const DETAIL_POINTS = 1_000;
/** How many readings of history the dialog asks for. */
export const HISTORY_LIMIT = 500;

/** The dialog as this controller drives it (view/detail.ts's DetailView; a fake in tests). */
export interface DetailDialog {
  readonly openId: string | null;
  open(id: string, onClosed: (id: string) => void): void;
  render(m: DetailModel): void;
  renderAge(age: string, state: DetailModel['state']): void;
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
  fetchHistory: (id: string, limit: number, signal: AbortSignal) => Promise<SensorReading[]>;
  /** Asks for a render (render()) in the next frame. */
  markDirty: (key: string) => void;
  /** The dialog closed: where focus goes back to. */
  onClosed: (id: string) => void;
  now?: () => number;
}

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
  private points: Point[] = [];
  private fetch: AbortController | null = null;
  private readonly now: () => number;

  constructor(private readonly deps: DetailDeps) {
    this.now = deps.now ?? Date.now;
  }

  get openId(): string | null {
    return this.deps.view.openId;
  }

  /** The points the chart shows. */
  get series(): readonly Point[] {
    return this.points;
  }

  open(id: string): void {
    const entry = this.deps.store.get(id);
    if (!entry) return;
    this.points = entry.history.toArray();
    this.deps.view.open(id, (closed) => this.closed(closed));
    this.render();
    this.deps.address.history?.replaceState(null, '', `#sensor=${encodeURIComponent(id)}`);
    void this.loadHistory(id);
  }

  /** Opens the sensor the address names, once the store knows it and no dialog is open. */
  openFromAddress(): void {
    const id = sensorFromHash(this.deps.address.location.hash);
    if (id === null || this.openId !== null) return;
    if (this.deps.store.get(id)) this.open(id);
  }

  /** After a REST refresh: the open dialog reloads its history, and a linked one opens. */
  refreshed(): void {
    if (this.openId !== null) void this.loadHistory(this.openId);
    this.openFromAddress();
  }

  /** A reading the store accepted: a point on the open chart if it is this sensor's. */
  readingApplied(id: string, r: SensorReading): void {
    if (this.openId === id) this.points = mergePoints(this.points, [pointOf(r)], DETAIL_POINTS);
  }

  /** The sensor was forgotten: a dialog showing it closes. */
  removed(id: string): void {
    if (this.openId === id) this.deps.view.close();
  }

  /** The store changed for `id`: redraw the dialog in the next frame if it shows that sensor. */
  changed(id: string): void {
    if (this.openId === id) this.deps.markDirty(DETAIL_KEY);
  }

  render(): void {
    const id = this.openId;
    const entry = id === null ? undefined : this.deps.store.get(id);
    if (!entry) return;
    this.deps.view.render(detailModel(entry, this.points, this.deps.store, this.deps.freshness, this.now()));
  }

  /** Once a second: the age and the state it implies. */
  tick(now: number): void {
    const open = this.openId;
    const entry = open === null ? undefined : this.deps.store.get(open);
    if (entry) this.deps.view.renderAge(this.deps.freshness.ageText(entry, now), this.deps.freshness.stateOf(entry, now));
  }

  private closed(id: string): void {
    this.fetch?.abort();
    this.fetch = null;
    this.points = [];
    const loc = this.deps.address.location;
    this.deps.address.history?.replaceState(null, '', `${loc.pathname}${loc.search}`);
    this.deps.onClosed(id);
  }

  private async loadHistory(id: string): Promise<void> {
    this.fetch?.abort();
    const ctrl = new AbortController();
    this.fetch = ctrl;
    const history = await this.deps.fetchHistory(id, HISTORY_LIMIT, ctrl.signal);
    if (ctrl.signal.aborted || this.openId !== id) return;
    this.points = mergePoints(history.map(pointOf), this.points, DETAIL_POINTS);
    this.deps.markDirty(DETAIL_KEY);
  }
}
