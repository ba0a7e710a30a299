// The grid's tiles: draws a dirty tile from the store (deferring off-screen ones), ticks their
// ages once a second, and loads each rendered tile's recent history once per connection so its
// sparkline has a shape right after page load.
import type { SensorStore, TileState } from './store';
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
  add(id: string): unknown;
  remove(id: string): void;
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

  add(id: string): void {
    this.grid.add(id);
  }

  /** The sensor was forgotten: its tile goes. */
  remove(id: string): void {
    this.grid.remove(id);
  }

  /** A new connection: after a reconnect the rings have a gap, so tiles fetch their history again. */
  socketOpened(): void {
    if (this.connections++ > 0) this.history.reset();
  }

  render(id: string, now: number): void {
    const tile = this.grid.get(id);
    const entry = this.store.get(id);
    if (!tile || !entry) return;
    if (!tile.visible || tile.root.hidden) {
      tile.needsRender = true;
      return;
    }
    if (entry.latest !== null) this.history.want(id);
    tile.render(tileModel(entry, this.freshness, now));
  }

  /** Once a second: ages and staleness; a state change recolours the sparkline, so it needs a full render. */
  tick(now: number): void {
    for (const tile of this.grid.all()) {
      const entry = this.store.get(tile.id);
      if (!entry) continue;
      const state = this.freshness.stateOf(entry, now);
      if (!tile.visible || tile.root.hidden) {
        if (tile.button.dataset['state'] !== state) tile.needsRender = true;
        continue;
      }
      if (tile.renderAge(this.freshness.ageText(entry, now), state)) this.markDirty(tile.id);
    }
  }
}
