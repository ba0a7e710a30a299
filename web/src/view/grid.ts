// The grid of tiles: sorted insertion, filtering, visibility tracking, keyboard navigation.
import type { SensorFilter } from '../filter';
import { TileView } from './tile';

export interface GridHandlers {
  open(id: string): void;
  /** A tile needs drawing: it scrolled into view with a deferred render, or its size changed. */
  needsRender(id: string): void;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export class GridView {
  private readonly tiles = new Map<string, TileView>();
  private readonly order: string[] = [];
  /** A removed tile's id -> the tile that took its place, for focus(id) (at most 64). */
  private readonly successors = new Map<string, string>();
  private filter: SensorFilter = () => true;
  private readonly visibility: IntersectionObserver | null;
  private readonly sizes: ResizeObserver | null;

  constructor(
    private readonly list: HTMLElement,
    private readonly handlers: GridHandlers,
  ) {
    this.visibility =
      typeof IntersectionObserver === 'undefined'
        ? null
        : new IntersectionObserver((entries) => this.onVisibility(entries), { rootMargin: '200px 0px' });
    this.sizes = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver((entries) => this.onResize(entries));
    list.addEventListener('click', (e) => {
      const id = this.idOf(e.target);
      if (id !== null) handlers.open(id);
    });
    list.addEventListener('keydown', (e) => this.onKey(e));
  }

  get size(): number {
    return this.tiles.size;
  }

  get(id: string): TileView | undefined {
    return this.tiles.get(id);
  }

  all(): IterableIterator<TileView> {
    return this.tiles.values();
  }

  /** Adds a tile in id order (natural: temp-2 before temp-10). */
  add(id: string): TileView {
    const existing = this.tiles.get(id);
    if (existing) return existing;
    const tile = new TileView(id);
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (collator.compare(this.order[mid] as string, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    const before = this.order[lo];
    this.order.splice(lo, 0, id);
    this.list.insertBefore(tile.root, before === undefined ? null : (this.tiles.get(before)?.root ?? null));
    this.tiles.set(id, tile);
    tile.root.hidden = !this.filter(id);
    this.visibility?.observe(tile.root);
    this.sizes?.observe(tile.canvas);
    return tile;
  }

  /** Takes the tile out of the grid (a forgotten sensor); focus moves on if it had it. */
  remove(id: string): void {
    const tile = this.tiles.get(id);
    if (!tile) return;
    const hadFocus = tile.root.contains(tile.root.ownerDocument.activeElement);
    const at = this.order.indexOf(id);
    this.visibility?.unobserve(tile.root);
    this.sizes?.unobserve(tile.canvas);
    tile.root.remove();
    this.tiles.delete(id);
    this.order.splice(at, 1);
    // Focus is not lost with the tile: it goes to the shown tile that took its place (or the
    // one before), now or when the dialog it opened hands focus back (focus(id)).
    const next = this.shownNear(at);
    if (next !== undefined) this.successors.set(id, next);
    if (this.successors.size > 64) this.successors.delete(this.successors.keys().next().value as string);
    if (hadFocus && next !== undefined) this.focus(next);
  }

  /** Shows only matching tiles; returns how many match. */
  setFilter(filter: SensorFilter): number {
    this.filter = filter;
    let shown = 0;
    for (const [id, tile] of this.tiles) {
      const match = filter(id);
      if (tile.root.hidden === match) tile.root.hidden = !match;
      if (match) shown++;
    }
    return shown;
  }

  countMatching(): number {
    let n = 0;
    for (const id of this.tiles.keys()) if (this.filter(id)) n++;
    return n;
  }

  focus(id: string): void {
    const tile = this.tiles.get(id) ?? this.tiles.get(this.successors.get(id) ?? '');
    this.successors.delete(id);
    tile?.button.focus();
  }

  /** The shown tile at order position `at`, else the nearest shown one before it. */
  private shownNear(at: number): string | undefined {
    for (let i = at; i < this.order.length; i++) {
      const id = this.order[i] as string;
      if (!this.tiles.get(id)?.root.hidden) return id;
    }
    for (let i = Math.min(at, this.order.length) - 1; i >= 0; i--) {
      const id = this.order[i] as string;
      if (!this.tiles.get(id)?.root.hidden) return id;
    }
    return undefined;
  }

  private idOf(target: EventTarget | null): string | null {
    if (!(target instanceof Element)) return null;
    return target.closest<HTMLElement>('[data-sensor-id]')?.dataset['sensorId'] ?? null;
  }

  private onVisibility(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const id = this.idOf(entry.target.firstElementChild);
      const tile = id === null ? undefined : this.tiles.get(id);
      if (!tile || id === null) continue;
      tile.visible = entry.isIntersecting;
      if (tile.visible && tile.needsRender) this.handlers.needsRender(id);
    }
  }

  private onResize(entries: ResizeObserverEntry[]): void {
    for (const entry of entries) {
      const id = this.idOf(entry.target);
      const tile = id === null ? undefined : this.tiles.get(id);
      if (!tile || id === null) continue;
      const { width, height } = entry.contentRect;
      if (width === tile.sparkWidth && height === tile.sparkHeight) continue;
      tile.sparkWidth = width;
      tile.sparkHeight = height;
      this.handlers.needsRender(id);
    }
  }

  /** Arrow keys move between visible tiles; Up/Down jump a row of the current layout. */
  private onKey(e: KeyboardEvent): void {
    const id = this.idOf(e.target);
    if (id === null) return;
    const shown = this.order.filter((i) => this.filter(i));
    const at = shown.indexOf(id);
    if (at < 0) return;
    const columns = this.columnCount();
    const moves: Record<string, number> = {
      ArrowLeft: at - 1,
      ArrowRight: at + 1,
      ArrowUp: at - columns,
      ArrowDown: at + columns,
      Home: 0,
      End: shown.length - 1,
    };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    const next = shown[Math.min(shown.length - 1, Math.max(0, target))];
    if (next !== undefined) this.focus(next);
  }

  private columnCount(): number {
    const cols = getComputedStyle(this.list).gridTemplateColumns.split(' ').filter((c) => c.length > 0);
    return Math.max(1, cols.length);
  }
}
