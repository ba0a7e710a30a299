// Arrow-key moves between the shown tiles. The grid is laid out in sections (the flat tiles,
// then each device group), each starting on a new row of the same `columns`: Up and Down keep the
// column across a section's edge, Left and Right run through all tiles in reading order. Pure.

export type NavKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End';

export function isNavKey(key: string): key is NavKey {
  return key === 'ArrowLeft' || key === 'ArrowRight' || key === 'ArrowUp' || key === 'ArrowDown' || key === 'Home' || key === 'End';
}

/** The tile `key` moves to from `id`; undefined when `id` is not shown. Never past the ends. */
export function moveFrom(sections: readonly (readonly string[])[], id: string, key: NavKey, columns: number): string | undefined {
  const shown = sections.filter((s) => s.length > 0);
  const flat = shown.flat();
  const at = flat.indexOf(id);
  if (at < 0) return undefined;
  const cols = Math.max(1, columns);
  const clamp = (i: number): string => flat[Math.min(flat.length - 1, Math.max(0, i))] as string;
  if (key === 'ArrowLeft') return clamp(at - 1);
  if (key === 'ArrowRight') return clamp(at + 1);
  if (key === 'Home') return clamp(0);
  if (key === 'End') return clamp(flat.length - 1);

  const s = shown.findIndex((sec) => sec.includes(id));
  const section = shown[s] as readonly string[];
  const i = section.indexOf(id);
  const col = i % cols;
  if (key === 'ArrowUp') {
    if (i >= cols) return section[i - cols];
    const prev = shown[s - 1];
    if (!prev) return clamp(0);
    const lastRow = Math.floor((prev.length - 1) / cols) * cols;
    return prev[Math.min(prev.length - 1, lastRow + col)];
  }
  if (i + cols < section.length) return section[i + cols];
  // A partial last row below: its last tile, as the flat grid always did.
  if (Math.floor(i / cols) < Math.floor((section.length - 1) / cols)) return section[section.length - 1];
  const next = shown[s + 1];
  if (!next) return clamp(flat.length - 1);
  return next[Math.min(next.length - 1, col)];
}
