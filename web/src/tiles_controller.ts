// The grid's tiles: places a tile by its sensor's device (a group per device, see
// tile_layout.ts), draws a dirty tile from the store (deferring off-screen ones), ticks their
// ages and their groups' availability once a second, and loads each rendered tile's recent
// history once per connection so its sparkline has a shape right after page load.
import { NO_META } from './sensor_meta';
import type { SensorStore, TileState } from './store';
import { FLAT, groupState, placementOf, type GroupState, type Placement, type TileLayout } from './tile_layout';
import type { TileModel } from './view/tile';
import { tileModel, type Freshness } from './view_model';

/** A tile as drawn here (view/tile.ts's TileView; a fake in tests). */
export interface Tile {
  readonly id: string;
  readonly root: { readonly hidden: boolean };
  /** data-state holds the state last drawn. */
  readonly button: { readonly dataset: { readonly [key: string]: string | undefined } };
  readonly visible: boolean;
  needsRender: boolean;
  render(m: TileModel): void;
  /** Returns true when the state changed. */
  renderAge(age: string, state: TileState): boolean;
}

/** The grid as this controller uses it (view/grid.ts's GridView). */
export interface TileGrid {
  get(id: string): Tile | undefined;
  all(): Iterable<Tile>;
  add(id: string, p: Placement): unknown;
  /** Moves the tile when its placement changed (a sensor.meta, a reading with new meta). */
  place(id: string, p: Placement): void;
  remove(id: string): void;
  readonly layout: Pick<TileLayout, 'sectionOf' | 'members' | 'groups'>;
  renderGroup(key: string, state: GroupState | null): void;
}

/** The part of history_loader.ts's HistoryLoader used here. */
export interface TileHistory {
  want(id: string): void;
  reset(): void;
}

export class TilesController {
  private connections = 0;

  constructor(
    private readonly grid: TileGrid,
    private readonly store: SensorStore,
    private readonly freshness: Freshness,
    private readonly history: TileHistory,
    /** Asks for a full render of the tile `id` in the next frame. */
    private readonly markDirty: (id: string) => void,
  ) {}

  add(id: string, now = Date.now()): void {
    const entry = this.store.get(id);
    this.grid.add(id, placementOf(id, entry?.meta ?? NO_META));
    this.renderGroupOf(id, now);
  }

  /** The sensor was forgotten: its tile goes, and its group may change state. */
  remove(id: string, now = Date.now()): void {
    const section = this.grid.layout.sectionOf(id);
    this.grid.remove(id);
    if (section !== undefined) this.renderGroup(section, now);
  }

  /** A new connection: after a reconnect the rings have a gap, so tiles fetch their history again. */
  socketOpened(): void {
    if (this.connections++ > 0) this.history.reset();
  }

  render(id: string, now: number): void {
    const tile = this.grid.get(id);
    const entry = this.store.get(id);
    if (!tile || !entry) return;
    // Placement and the group's state first: they show even while this tile waits off-screen.
    const before = this.grid.layout.sectionOf(id);
    this.grid.place(id, placementOf(id, entry.meta));
    const after = this.grid.layout.sectionOf(id);
    if (before !== undefined && before !== after) this.renderGroup(before, now);
    this.renderGroupOf(id, now);
    if (!tile.visible || tile.root.hidden) {
      tile.needsRender = true;
      return;
    }
    if (entry.latest !== null) this.history.want(id);
    tile.render(tileModel(entry, this.freshness, now));
  }

  /**
   * Once a second: ages, staleness and the groups' availability; a state change recolours the
   * sparkline, so it needs a full render.
   */
  tick(now: number): void {
    const states = new Map<string, TileState>();
    for (const tile of this.grid.all()) {
      const entry = this.store.get(tile.id);
      if (!entry) continue;
      const state = this.freshness.stateOf(entry, now);
      states.set(tile.id, state);
      if (!tile.visible || tile.root.hidden) {
        if (tile.button.dataset['state'] !== state) tile.needsRender = true;
        continue;
      }
      if (tile.renderAge(this.freshness.ageText(entry, now), state)) this.markDirty(tile.id);
    }
    for (const key of this.grid.layout.groups()) {
      this.grid.renderGroup(key, groupState(this.grid.layout.members(key).flatMap((id) => states.get(id) ?? [])));
    }
  }

  private renderGroupOf(id: string, now: number): void {
    const section = this.grid.layout.sectionOf(id);
    if (section !== undefined) this.renderGroup(section, now);
  }

  /** A device group's one badge, from the states of its sensors now (FLAT has none). */
  private renderGroup(key: string, now: number): void {
    if (key === FLAT) return;
    const states: TileState[] = [];
    for (const id of this.grid.layout.members(key)) {
      const entry = this.store.get(id);
      if (entry) states.push(this.freshness.stateOf(entry, now));
    }
    this.grid.renderGroup(key, groupState(states));
  }
}
