// Where each tile goes: flat in the grid (a sensor without a device, as before discovery) or in
// its device's group, each in title order; and the one availability a group header shows.
// Pure, no DOM: view/grid.ts mirrors what this says.
import type { SensorMeta } from './sensor_meta';
import type { TileState } from './store';

/** The section key of the tiles that belong to no device (group keys never start with ''). */
export const FLAT = '';

export interface GroupRef {
  /** `id:<device.id>`, or `name:<device.name>` for a device without an id. */
  key: string;
  /** The header's text: the device's name, else its id. */
  label: string;
}

export interface Placement {
  /** What the tile is sorted by: the name, else the id. */
  title: string;
  /** The sensor's name ('' without one): the filter matches it too. */
  name: string;
  group: GroupRef | null;
}

/** The badge of a device group. */
export type GroupState = 'online' | 'stale' | 'offline';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Same device: the same device.id; without an id, the same device.name; neither: no group. */
export function placementOf(id: string, meta: SensorMeta): Placement {
  const d = meta.device;
  const key = d?.id ? `id:${d.id}` : d?.name ? `name:${d.name}` : null;
  const group = key === null ? null : { key, label: d?.name || d?.id || '' };
  return { title: meta.name || id, name: meta.name ?? '', group };
}

/**
 * A device's availability, shown once for its group: offline when every sensor of it is
 * offline (the device is gone), online when any is live (the device talks), stale otherwise
 * (nothing live, not all offline). null for a group without sensors.
 */
export function groupState(states: Iterable<TileState>): GroupState | null {
  let any = false;
  let allOffline = true;
  for (const s of states) {
    if (s === 'live') return 'online';
    any = true;
    if (s !== 'offline') allOffline = false;
  }
  if (!any) return null;
  return allOffline ? 'offline' : 'stale';
}

interface Spot {
  section: string;
  title: string;
}

/** The sections (the flat one first, then the groups by label) and the tiles in each, in order. */
export class TileLayout {
  private readonly spots = new Map<string, Spot>();
  private readonly sections = new Map<string, string[]>([[FLAT, []]]);
  private readonly labels = new Map<string, string>();
  /** Group keys in display order. */
  private order: string[] = [];

  /** The section of `id` (FLAT or a group key), undefined for an unknown id. */
  sectionOf(id: string): string | undefined {
    return this.spots.get(id)?.section;
  }

  /** The tiles of a section, in order ([] for an unknown one). */
  members(section: string): readonly string[] {
    return this.sections.get(section) ?? [];
  }

  label(key: string): string {
    return this.labels.get(key) ?? '';
  }

  /** Group keys in display order. */
  groups(): readonly string[] {
    return this.order;
  }

  /** Every section with its tiles, in display order: the flat tiles, then each group's. */
  sectionsInOrder(): { key: string; ids: readonly string[] }[] {
    return [FLAT, ...this.order].map((key) => ({ key, ids: this.members(key) }));
  }

  /**
   * Puts `id` where `p` says. Returns what changed: the tile moved or was added (its section or
   * its place in it), and whether a group's label changed (its header text and position).
   */
  place(id: string, p: Placement): { moved: boolean; relabelled: string | null } {
    const section = p.group?.key ?? FLAT;
    let relabelled: string | null = null;
    if (p.group && this.labels.has(p.group.key) && this.labels.get(p.group.key) !== p.group.label) {
      this.labels.set(p.group.key, p.group.label);
      this.sortGroups();
      relabelled = p.group.key;
    }
    const spot = this.spots.get(id);
    if (spot && spot.section === section && spot.title === p.title) return { moved: false, relabelled };
    if (spot) this.take(id, spot);
    if (p.group && !this.sections.has(section)) {
      this.sections.set(section, []);
      this.labels.set(section, p.group.label);
      this.order.push(section);
      this.sortGroups();
    }
    const ids = this.sections.get(section) as string[];
    ids.splice(this.indexFor(ids, p.title, id), 0, id);
    this.spots.set(id, { section, title: p.title });
    return { moved: true, relabelled };
  }

  /** Takes `id` out; a group left without tiles goes. Returns the section it was in. */
  remove(id: string): string | undefined {
    const spot = this.spots.get(id);
    if (!spot) return undefined;
    this.take(id, spot);
    return spot.section;
  }

  /** The tile after `id` in its section (null: it is the last), for inserting before it. */
  next(id: string): string | null {
    const spot = this.spots.get(id);
    const ids = spot ? this.members(spot.section) : [];
    return ids[ids.indexOf(id) + 1] ?? null;
  }

  /** The group after `key` in display order (null: it is the last). */
  nextGroup(key: string): string | null {
    return this.order[this.order.indexOf(key) + 1] ?? null;
  }

  private take(id: string, spot: Spot): void {
    const ids = this.sections.get(spot.section) as string[];
    ids.splice(ids.indexOf(id), 1);
    this.spots.delete(id);
    if (spot.section !== FLAT && ids.length === 0) {
      this.sections.delete(spot.section);
      this.labels.delete(spot.section);
      this.order = this.order.filter((k) => k !== spot.section);
    }
  }

  /** Binary search by title, then id (natural order: temp-2 before temp-10). */
  private indexFor(ids: readonly string[], title: string, id: string): number {
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = ids[mid] as string;
      const c = collator.compare(this.spots.get(other)?.title ?? other, title) || collator.compare(other, id);
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private sortGroups(): void {
    this.order.sort((a, b) => collator.compare(this.label(a), this.label(b)) || (a < b ? -1 : a > b ? 1 : 0));
  }
}
