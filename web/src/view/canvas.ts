// Small helpers of the tiles' sparklines (and the words of a state, which the detail chart uses too).
import type { Point } from '../store';
import { booleanLabel, hueOf } from './format';
import type { Theme } from './theme';

/** Sizes the backing store for crisp lines on high-DPI screens; returns a context in CSS pixels. */
export function fitCanvas(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): CanvasRenderingContext2D | null {
  const dpr = Math.min(3, globalThis.devicePixelRatio || 1);
  const w = Math.max(1, Math.round(cssWidth * dpr));
  const h = Math.max(1, Math.round(cssHeight * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssWidth, cssHeight);
  return ctx;
}

export interface Extent {
  min: number;
  max: number;
}

/** Value range with a little headroom; a flat series gets a band around its value. */
export function valueExtent(points: readonly Point[]): Extent | null {
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    if (typeof p.v !== 'number') continue;
    if (p.v < min) min = p.v;
    if (p.v > max) max = p.v;
  }
  if (min > max) return null;
  if (min === max) {
    const pad = Math.abs(min) * 0.05 || 1;
    return { min: min - pad, max: max + pad };
  }
  const pad = (max - min) * 0.08;
  return { min: min - pad, max: max + pad };
}

export function stateColor(v: Point['v'], t: Theme): string {
  if (typeof v === 'boolean') return v ? t.accent : t.off;
  return `hsl(${hueOf(String(v))} 45% 55%)`;
}

export function stateText(id: string, v: Point['v'], deviceClass = ''): string {
  return typeof v === 'boolean' ? booleanLabel(id, v, deviceClass) : String(v);
}

/**
 * Draws non-numeric values as a timeline of coloured segments in the box (x, y, w, h), each
 * segment lasting until the next change; the last one runs to `tEnd`.
 */
export function drawStateBand(
  ctx: CanvasRenderingContext2D,
  points: readonly Point[],
  box: { x: number; y: number; w: number; h: number },
  t0: number,
  tEnd: number,
  theme: Theme,
): void {
  const span = Math.max(1, tEnd - t0);
  const xOf = (t: number): number => box.x + ((t - t0) / span) * box.w;
  ctx.save();
  ctx.beginPath();
  ctx.roundRect(box.x, box.y, box.w, box.h, Math.min(4, box.h / 2));
  ctx.clip();
  ctx.fillStyle = theme.grid;
  ctx.fillRect(box.x, box.y, box.w, box.h);
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Point;
    const next = points[i + 1];
    const x0 = Math.max(box.x, xOf(p.t));
    const x1 = next ? xOf(next.t) : box.x + box.w;
    if (x1 <= x0) continue;
    ctx.fillStyle = stateColor(p.v, theme);
    ctx.fillRect(x0, box.y, x1 - x0 + 0.5, box.h);
  }
  ctx.restore();
}
