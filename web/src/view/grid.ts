// The grid of tiles: placement (flat, or in a device's collapsible group; see tile_layout.ts),
// filtering, visibility tracking, keyboard navigation.
import type { SensorFilter } from '../filter';
import { CollapsedGroups } from '../group_prefs';
import { isNavKey, moveFrom } from '../grid_nav';
import { NO_META } from '../sensor_meta';
import { FLAT, placementOf, TileLayout, type GroupState, type Placement } from '../tile_layout';
import { setHidden } from './dom';
import { TileView } from './tile';
import { TileGroupView } from './tile_group';

export interface GridHandlers {
  open(id: string): void;
  /** A tile needs drawing: it scrolled into view with a deferred render, or its size changed. */
  needsRender(id: string): void;
}

export class GridView {
  private readonly tiles = new Map<string, TileView>();
  readonly layout = new TileLayout();
  private readonly groups = new Map<string, TileGroupView>();
  /** Each tile's name ('' none), which the filter matches besides the id. */
  private readonly names = new Map<string, string>();
  /** A removed tile's id -> the tile that took its place, for focus(id) (at most 64). */
  private readonly successors = new Map<string, string>();
  private filter: SensorFilter = () => true;
  private readonly visibility: IntersectionObserver | null;
  private readonly sizes: ResizeObserver | null;

  constructor(
    private readonly list: HTMLElement,
    private readonly handlers: GridHandlers,
    private readonly collapsed = new CollapsedGroups(null),
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

  /** Adds a tile where `p` says (no device: flat, in title order). */
  add(id: string, p: Placement = placementOf(id, NO_META)): TileView {
    const existing = this.tiles.get(id);
    if (existing) return existing;
    const tile = new TileView(id);
    this.tiles.set(id, tile);
    this.place(id, p);
    this.visibility?.observe(tile.root);
    this.sizes?.observe(tile.canvas);
    return tile;
  }

  /** Moves a tile to where `p` says (its device's group, or flat) when that changed. */
  place(id: string, p: Placement): void {
    const tile = this.tiles.get(id);
    if (!tile) return;
    const from = this.layout.sectionOf(id);
    const { moved, relabelled } = this.layout.place(id, p);
    this.names.set(id, p.name);
    const to = this.layout.sectionOf(id) as string;
    if (relabelled !== null) this.mountGroup(relabelled);
    if (moved) {
      if (to !== FLAT && !this.groups.has(to)) this.mountGroup(to);
      this.keepingFocus(tile.root, () => this.mountTile(id, tile));
      if (from !== undefined && from !== to) this.groupChanged(from);
    }
    setHidden(tile.root, !this.filter(id, p.name));
    this.groupChanged(to);
  }

  /** Takes the tile out of the grid (a forgotten sensor); focus moves on if it had it. */
  remove(id: string): void {
    const tile = this.tiles.get(id);
    if (!tile) return;
    const hadFocus = tile.root.contains(tile.root.ownerDocument.activeElement);
    const order = this.displayOrder();
    const at = order.indexOf(id);
    order.splice(at, 1);
    this.visibility?.unobserve(tile.root);
    this.sizes?.unobserve(tile.canvas);
    tile.root.remove();
    this.tiles.delete(id);
    this.names.delete(id);
    const section = this.layout.remove(id);
    if (section !== undefined) this.groupChanged(section);
    // Focus is not lost with the tile: it goes to the shown tile that took its place (or the
    // one before), now or when the dialog it opened hands focus back (focus(id)).
    const next = this.shownNear(order, at);
    if (next !== undefined) this.successors.set(id, next);
    if (this.successors.size > 64) this.successors.delete(this.successors.keys().next().value as string);
    if (hadFocus && next !== undefined) this.focus(next);
  }

  /** Shows only matching tiles, and only groups with a matching tile; returns how many match. */
  setFilter(filter: SensorFilter): number {
    this.filter = filter;
    let shown = 0;
    for (const [id, tile] of this.tiles) {
      const match = filter(id, this.names.get(id));
      if (tile.root.hidden === match) tile.root.hidden = !match;
      if (match) shown++;
    }
    for (const key of this.groups.keys()) this.groupChanged(key);
    return shown;
  }

  countMatching(): number {
    let n = 0;
    for (const id of this.tiles.keys()) if (this.filter(id, this.names.get(id))) n++;
    return n;
  }

  /** The availability badge of a device's group (tiles_controller.ts works it out). */
  renderGroup(key: string, state: GroupState | null): void {
    this.groups.get(key)?.setState(state);
  }

  /** Focuses the tile (or its successor); inside a collapsed group, the group's button. */
  focus(id: string): void {
    const target = this.tiles.has(id) ? id : (this.successors.get(id) ?? '');
    this.successors.delete(id);
    const tile = this.tiles.get(target);
    const group = this.groups.get(this.layout.sectionOf(target) ?? FLAT);
    if (group?.collapsed) group.toggle.focus();
    else tile?.button.focus();
  }

  private isShown(id: string): boolean {
    const group = this.groups.get(this.layout.sectionOf(id) ?? FLAT);
    return this.filter(id, this.names.get(id)) && !group?.collapsed;
  }

  /** Every tile in the order on screen: the flat ones, then each group's. */
  private displayOrder(): string[] {
    return this.layout.sectionsInOrder().flatMap((s) => s.ids);
  }

  /** The shown tile at position `at` of `order`, else the nearest shown one before it. */
  private shownNear(order: readonly string[], at: number): string | undefined {
    for (let i = at; i < order.length; i++) if (this.isShown(order[i] as string)) return order[i];
    for (let i = Math.min(at, order.length) - 1; i >= 0; i--) if (this.isShown(order[i] as string)) return order[i];
    return undefined;
  }

  /** Puts the tile's cell where the layout has it: before the next tile of its section. */
  private mountTile(id: string, tile: TileView): void {
    const section = this.layout.sectionOf(id) ?? FLAT;
    const next = this.layout.next(id);
    const firstGroup = this.layout.groups()[0];
    const before = next !== null ? this.tiles.get(next)?.root : section === FLAT && firstGroup !== undefined ? this.groups.get(firstGroup)?.root : null;
    const parent = section === FLAT ? this.list : (this.groups.get(section)?.list ?? this.list);
    parent.insertBefore(tile.root, before ?? null);
  }

  /** Creates the group's view if needed and puts it where the layout has it among the groups. */
  private mountGroup(key: string): void {
    let group = this.groups.get(key);
    if (!group) {
      group = new TileGroupView(key, this.collapsed.has(key), (k, collapsed) => this.setCollapsed(k, collapsed));
      this.groups.set(key, group);
    }
    group.setLabel(this.layout.label(key));
    const next = this.layout.nextGroup(key);
    const node = group.root;
    this.keepingFocus(node, () => this.list.insertBefore(node, next === null ? null : (this.groups.get(next)?.root ?? null)));
  }

  /** A group's tiles changed: its count, whether any tile shows; gone when it has none. */
  private groupChanged(key: string): void {
    const group = this.groups.get(key);
    if (!group) return;
    const ids = this.layout.members(key);
    if (ids.length === 0) {
      group.root.remove();
      this.groups.delete(key);
      return;
    }
    group.setCount(ids.length);
    const anyMatch = ids.some((id) => this.filter(id, this.names.get(id)));
    setHidden(group.root, !anyMatch);
  }

  private setCollapsed(key: string, collapsed: boolean): void {
    this.collapsed.set(key, collapsed);
    this.groups.get(key)?.setCollapsed(collapsed);
  }

  /** Moving a node in the DOM blurs what is focused inside it: focus it again. */
  private keepingFocus(node: HTMLElement, move: () => void): void {
    const focused = node.ownerDocument.activeElement;
    const inside = focused instanceof HTMLElement && node.contains(focused) ? focused : null;
    move();
    if (inside && inside.ownerDocument.activeElement !== inside) inside.focus();
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

  /** Arrow keys move between shown tiles, section by section (grid_nav.ts). */
  private onKey(e: KeyboardEvent): void {
    const id = this.idOf(e.target);
    if (id === null || !isNavKey(e.key)) return;
    const sections = this.layout.sectionsInOrder().map((s) => s.ids.filter((i) => this.isShown(i)));
    const next = moveFrom(sections, id, e.key, this.columnCount());
    if (next === undefined) return;
    e.preventDefault();
    this.focus(next);
  }

  private columnCount(): number {
    const cols = getComputedStyle(this.list).gridTemplateColumns.split(' ').filter((c) => c.length > 0);
    return Math.max(1, cols.length);
  }
}
