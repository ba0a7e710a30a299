// The small chart on each tile: a line with a soft fill for numbers, a state band otherwise.
import type { Point, TileState } from '../store';
import { drawStateBand, fitCanvas, valueExtent } from './canvas';
import { theme, withAlpha } from './theme';

export function drawSparkline(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  points: readonly Point[],
  state: TileState,
): void {
  const ctx = fitCanvas(canvas, width, height);
  if (!ctx || points.length === 0 || width < 4 || height < 4) return;
  const t = theme();
  const color = state === 'live' ? t.accent : state === 'stale' ? t.stale : t.offline;
  const last = points[points.length - 1] as Point;
  const first = points[0] as Point;

  if (typeof last.v !== 'number') {
    const bandH = Math.min(12, height);
    drawStateBand(ctx, points, { x: 0, y: height - bandH - 4, w: width, h: bandH }, first.t, last.t + 1, t);
    return;
  }

  // Evenly spaced by arrival order: a sparkline shows shape, the detail chart shows time.
  const numeric = points.filter((p) => typeof p.v === 'number');
  const ext = valueExtent(numeric);
  if (!ext) return;
  const pad = 3;
  const n = numeric.length;
  const xOf = (i: number): number => (n === 1 ? width - pad : pad + (i / (n - 1)) * (width - 2 * pad));
  const yOf = (v: number): number => height - pad - ((v - ext.min) / (ext.max - ext.min)) * (height - 2 * pad);

  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  ctx.beginPath();
  numeric.forEach((p, i) => {
    const x = xOf(i);
    const y = yOf(p.v as number);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.stroke();

  // Soft area under the line.
  ctx.lineTo(xOf(n - 1), height);
  ctx.lineTo(xOf(0), height);
  ctx.closePath();
  const grad = ctx.createLinearGradient(0, 0, 0, height);
  grad.addColorStop(0, withAlpha(color, 0.28));
  grad.addColorStop(1, withAlpha(color, 0));
  ctx.fillStyle = grad;
  ctx.fill();

  ctx.beginPath();
  ctx.arc(xOf(n - 1), yOf(last.v), 2.5, 0, Math.PI * 2);
  ctx.fillStyle = color;
  ctx.fill();
}
