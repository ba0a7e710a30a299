// The detail view's time chart: value axis, time axis, the series, and a hover read-out.
import type { Point } from '../store';
import { drawStateBand, fitCanvas, stateText, valueExtent } from './canvas';
import { formatClock, formatNumber } from './format';
import { theme, withAlpha } from './theme';

const MARGIN = { left: 56, right: 16, top: 14, bottom: 26 };
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400].map((s) => s * 1000);

/** Round tick values (1, 2 or 5 × 10^n apart) covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const mag = 10 ** Math.floor(Math.log10((max - min) / count));
  let best: number[] = [];
  for (const m of [0.5, 1, 2, 5, 10]) {
    const step = m * mag;
    const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
    const ticks: number[] = [];
    for (let i = Math.ceil(min / step); i * step <= max + step * 1e-9; i++) ticks.push(Number((i * step).toFixed(decimals)));
    if (best.length === 0 || Math.abs(ticks.length - count) < Math.abs(best.length - count)) best = ticks;
  }
  return best;
}

/** Decimals that tick labels need so neighbouring ticks never print the same. */
export function tickDecimals(ticks: readonly number[]): number {
  let d = 0;
  for (const t of ticks) d = Math.max(d, (String(t).split('.')[1] ?? '').length);
  return Math.min(d, 6);
}

export function timeStep(spanMs: number, maxTicks: number): number {
  return TIME_STEPS.find((s) => spanMs / s <= maxTicks) ?? (TIME_STEPS[TIME_STEPS.length - 1] as number);
}

export class TimeChart {
  private points: readonly Point[] = [];
  private hoverX: number | null = null;
  /** The sensor's device class ('' unknown): it words the states and picks the decimals. */
  private deviceClass = '';
  private width = 0;
  private height = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private id: string,
    private unit: string,
  ) {
    canvas.addEventListener('pointermove', (e) => {
      this.hoverX = e.offsetX;
      this.draw();
    });
    canvas.addEventListener('pointerleave', () => {
      this.hoverX = null;
      this.draw();
    });
  }

  set(id: string, unit: string, points: readonly Point[], deviceClass = ''): void {
    this.id = id;
    this.deviceClass = deviceClass;
    this.unit = unit;
    this.points = points;
    this.draw();
  }

  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.draw();
  }

  draw(): void {
    const { width, height } = this;
    const ctx = fitCanvas(this.canvas, width, height);
    if (!ctx || width < 40 || height < 40) return;
    const t = theme();
    const pts = this.points;
    ctx.font = '12px system-ui, sans-serif';
    if (pts.length === 0) {
      ctx.fillStyle = t.axis;
      ctx.textAlign = 'center';
      ctx.fillText('No data yet', width / 2, height / 2);
      return;
    }
    const plot = { x: MARGIN.left, y: MARGIN.top, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
    const first = pts[0] as Point;
    const last = pts[pts.length - 1] as Point;
    const t0 = first.t;
    const t1 = Math.max(last.t, t0 + 1000);
    const xOf = (tt: number): number => plot.x + ((tt - t0) / (t1 - t0)) * plot.w;
    this.drawTimeAxis(ctx, plot, t0, t1, xOf);

    if (typeof last.v !== 'number') {
      drawStateBand(ctx, this.id, pts, { x: plot.x, y: plot.y + plot.h / 2 - 16, w: plot.w, h: 32 }, t0, t1, t, true, this.deviceClass);
      this.drawHover(ctx, plot, xOf, null);
      return;
    }
    const numeric = pts.filter((p) => typeof p.v === 'number');
    const ext = valueExtent(numeric);
    if (!ext) return;
    const yOf = (v: number): number => plot.y + plot.h - ((v - ext.min) / (ext.max - ext.min)) * plot.h;
    this.drawValueAxis(ctx, plot, ext, yOf);

    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, plot.y, plot.w, plot.h);
    ctx.clip();
    ctx.beginPath();
    numeric.forEach((p, i) => (i === 0 ? ctx.moveTo(xOf(p.t), yOf(p.v as number)) : ctx.lineTo(xOf(p.t), yOf(p.v as number))));
    ctx.strokeStyle = t.accent;
    ctx.lineWidth = 2;
    ctx.lineJoin = 'round';
    ctx.stroke();
    ctx.lineTo(xOf((numeric[numeric.length - 1] as Point).t), plot.y + plot.h);
    ctx.lineTo(xOf((numeric[0] as Point).t), plot.y + plot.h);
    ctx.closePath();
    const grad = ctx.createLinearGradient(0, plot.y, 0, plot.y + plot.h);
    grad.addColorStop(0, withAlpha(t.accent, 0.22));
    grad.addColorStop(1, withAlpha(t.accent, 0));
    ctx.fillStyle = grad;
    ctx.fill();
    if (numeric.length <= 80) {
      ctx.fillStyle = t.accent;
      for (const p of numeric) {
        ctx.beginPath();
        ctx.arc(xOf(p.t), yOf(p.v as number), 2.5, 0, Math.PI * 2);
        ctx.fill();
      }
    }
    ctx.restore();
    this.drawHover(ctx, plot, xOf, yOf);
  }

  private drawTimeAxis(
    ctx: CanvasRenderingContext2D,
    plot: { x: number; y: number; w: number; h: number },
    t0: number,
    t1: number,
    xOf: (t: number) => number,
  ): void {
    const th = theme();
    const step = timeStep(t1 - t0, Math.max(2, Math.floor(plot.w / 90)));
    ctx.fillStyle = th.axis;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let tt = Math.ceil(t0 / step) * step; tt <= t1; tt += step) {
      const x = xOf(tt);
      ctx.fillStyle = th.grid;
      ctx.fillRect(Math.round(x), plot.y, 1, plot.h);
      ctx.fillStyle = th.axis;
      ctx.fillText(formatClock(tt, step < 60_000), x, plot.y + plot.h + 8);
    }
  }

  private drawValueAxis(
    ctx: CanvasRenderingContext2D,
    plot: { x: number; y: number; w: number; h: number },
    ext: { min: number; max: number },
    yOf: (v: number) => number,
  ): void {
    const th = theme();
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const ticks = niceTicks(ext.min, ext.max, Math.max(2, Math.floor(plot.h / 48)));
    const decimals = tickDecimals(ticks);
    const label = new Intl.NumberFormat(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    for (const v of ticks) {
      const y = Math.round(yOf(v));
      if (y < plot.y - 1 || y > plot.y + plot.h + 1) continue;
      ctx.fillStyle = th.grid;
      ctx.fillRect(plot.x, y, plot.w, 1);
      ctx.fillStyle = th.axis;
      ctx.fillText(label.format(v), plot.x - 8, y);
    }
    if (this.unit) {
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(this.unit, plot.x + 6, plot.y + 2);
    }
  }

  private drawHover(
    ctx: CanvasRenderingContext2D,
    plot: { x: number; y: number; w: number; h: number },
    xOf: (t: number) => number,
    yOf: ((v: number) => number) | null,
  ): void {
    if (this.hoverX === null || this.hoverX < plot.x || this.hoverX > plot.x + plot.w) return;
    let best: Point | null = null;
    let bestDx = Infinity;
    for (const p of this.points) {
      const dx = Math.abs(xOf(p.t) - this.hoverX);
      if (dx < bestDx) {
        bestDx = dx;
        best = p;
      }
    }
    if (!best) return;
    const th = theme();
    const x = xOf(best.t);
    ctx.fillStyle = withAlpha(th.text, 0.35);
    ctx.fillRect(Math.round(x), plot.y, 1, plot.h);
    const label =
      typeof best.v === 'number'
        ? `${formatNumber(best.v, this.unit, this.deviceClass).value} ${formatNumber(best.v, this.unit, this.deviceClass).unit}`.trim()
        : stateText(this.id, best.v, this.deviceClass);
    const text = `${label}  ·  ${formatClock(best.t)}`;
    if (yOf && typeof best.v === 'number') {
      ctx.beginPath();
      ctx.arc(x, yOf(best.v), 4, 0, Math.PI * 2);
      ctx.fillStyle = th.text;
      ctx.fill();
    }
    ctx.font = '12px system-ui, sans-serif';
    const w = ctx.measureText(text).width + 16;
    const bx = Math.min(Math.max(plot.x, x - w / 2), plot.x + plot.w - w);
    ctx.fillStyle = withAlpha(th.surface, 0.95);
    ctx.strokeStyle = th.grid;
    ctx.beginPath();
    ctx.roundRect(bx, plot.y + 2, w, 22, 6);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = th.text;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, bx + 8, plot.y + 13);
  }
}
