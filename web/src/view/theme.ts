// Colours for canvas drawing, read once from the CSS custom properties in style.css so the
// stylesheet stays the single place the palette is defined.

export interface Theme {
  accent: string;
  stale: string;
  offline: string;
  grid: string;
  axis: string;
  text: string;
  surface: string;
  off: string;
}

const FALLBACK: Theme = {
  accent: '#5cc8c0',
  stale: '#e0b252',
  offline: '#7d8794',
  grid: '#232c38',
  axis: '#9aa6b5',
  text: '#e8edf3',
  surface: '#151b23',
  off: '#3a4554',
};

let cached: Theme | null = null;

export function theme(): Theme {
  if (cached) return cached;
  if (typeof document === 'undefined') return FALLBACK;
  const css = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  cached = {
    accent: read('--accent', FALLBACK.accent),
    stale: read('--stale', FALLBACK.stale),
    offline: read('--offline', FALLBACK.offline),
    grid: read('--chart-grid', FALLBACK.grid),
    axis: read('--text-muted', FALLBACK.axis),
    text: read('--text', FALLBACK.text),
    surface: read('--surface', FALLBACK.surface),
    off: read('--state-off', FALLBACK.off),
  };
  return cached;
}

/** `#rrggbb` + alpha → rgba(), for translucent fills. */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m || !m[1]) return hex;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
