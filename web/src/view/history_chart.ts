// The detail dialog's history chart, drawn by uPlot: the range buttons, the zoom's way back,
// the CSV link, and the plot (a line of readings, a mean line in its min–max band, or steps
// between states) with a legend that reads out the point under the cursor. A drag across the
// plot selects a window to zoom into; the controller (chart_controller.ts) fetches it.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { isRangeKey, rangeLabel, type RangeKey } from '../chart_range';
import type { ChartModel } from '../chart_controller';
import type { ChartSeries } from '../chart_series';
import { stateText } from './canvas';
import { dateTimeText, timeTicks, valueText, valueTicks } from './chart_axes';
import { must, setAttr, setHidden, setText } from './dom';
import { formatNumber } from './format';
import { theme, withAlpha } from './theme';

/** What the chart's controls ask for (chart_controller.ts's selectRange, zoom, resetZoom). */
export interface ChartActions {
  range(key: RangeKey): void;
  zoom(from: number, to: number): void;
  reset(): void;
  /**
   * A click on the CSV link. True: handled (with a token the file has to be fetched with it
   * as a header); false: the browser follows the link.
   */
  download(href: string, fileName: string): boolean;
}

const FONT = '12px system-ui, sans-serif';
/** Series classes uPlot puts on their legend rows and hover points; style.css hides these. */
const HELPER = 'chart-helper';

type Columns = uPlot.AlignedData;

export class HistoryChart {
  private readonly plotBox: HTMLElement;
  private readonly legendBox: HTMLElement;
  private readonly message: HTMLElement;
  private readonly rangeButtons: HTMLButtonElement[];
  private readonly resetButton: HTMLButtonElement;
  private readonly csvLink: HTMLAnchorElement;
  private plot: uPlot | null = null;
  /** What the plot was built for (its series and axes): another one is a new plot. */
  private layout = '';
  private drawn: ChartSeries | null | undefined = undefined;
  private model: ChartModel | null = null;
  private readonly onZoom: (from: number, to: number) => void;

  constructor(
    private readonly box: HTMLElement,
    actions: ChartActions,
  ) {
    this.plotBox = must<HTMLElement>(box, '[data-field="plot"]');
    this.legendBox = must<HTMLElement>(box, '[data-field="legend"]');
    this.message = must<HTMLElement>(box, '[data-field="chart-message"]');
    this.rangeButtons = [...box.querySelectorAll<HTMLButtonElement>('button[data-range]')];
    this.resetButton = must<HTMLButtonElement>(box, '[data-action="zoom-reset"]');
    this.csvLink = must<HTMLAnchorElement>(box, 'a[data-field="csv"]');
    for (const b of this.rangeButtons) {
      b.addEventListener('click', () => {
        const key = b.dataset['range'] ?? '';
        if (isRangeKey(key)) actions.range(key);
      });
    }
    this.resetButton.addEventListener('click', () => actions.reset());
    this.csvLink.addEventListener('click', (e) => {
      if (actions.download(this.csvLink.href, this.csvLink.download)) e.preventDefault();
    });
    this.onZoom = (from, to) => actions.zoom(from, to);
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.fit()).observe(this.plotBox);
  }

  /** The plot's width in CSS pixels. */
  get width(): number {
    return this.plotBox.clientWidth;
  }

  /** The dialog opened or resized: the plot takes its box's size. */
  fit(): void {
    const { clientWidth: width, clientHeight: height } = this.plotBox;
    if (this.plot && width > 0 && height > 0) this.plot.setSize({ width, height });
  }

  render(m: ChartModel): void {
    this.model = m;
    const s = m.series;
    const windowKey = m.window.kind === 'zoom' ? 'zoom' : m.window.range;
    setAttr(this.box, 'data-window', windowKey);
    setAttr(this.box, 'data-from', String(Math.round(m.from)));
    setAttr(this.box, 'data-to', String(Math.round(m.to)));
    setAttr(this.box, 'data-resolution', s?.resolution ?? '');
    setAttr(this.box, 'data-shape', s?.shape ?? '');
    setAttr(this.box, 'data-points', String(s?.t.length ?? 0));
    setAttr(this.box, 'data-live', String(m.live));
    setAttr(this.box, 'aria-busy', String(m.loading));
    for (const b of this.rangeButtons) setAttr(b, 'aria-pressed', String(b.dataset['range'] === windowKey));
    setHidden(this.resetButton, m.window.kind !== 'zoom');
    setText(this.resetButton, `Back to ${rangeLabel(m.window.range)}`);
    setAttr(this.csvLink, 'href', m.csvHref);
    setAttr(this.csvLink, 'download', m.csvName);
    setHidden(this.csvLink, s === null);
    setText(this.message, this.messageFor(m));
    this.draw(m);
  }

  private messageFor(m: ChartModel): string {
    if (m.failed) return 'The bridge did not answer.';
    if (m.series === null) return m.loading ? 'Loading…' : '';
    if (m.series.t.length === 0 && !m.loading) return 'No readings in this range.';
    return '';
  }

  private draw(m: ChartModel): void {
    const s = m.series;
    if (s === null) {
      // A dialog (re)opened: nothing of the sensor before stays on screen while its answer comes.
      if (this.plot !== null && this.drawn !== null) this.plot.setData(this.plot.data.map((): number[] => []) as unknown as Columns, false);
      this.drawn = null;
      return;
    }
    const layout = `${s.shape}|${m.unit}|${m.deviceClass}`;
    if (this.plot === null || layout !== this.layout) {
      const { clientWidth: width, clientHeight: height } = this.plotBox;
      if (width <= 0 || height <= 0) return;
      this.plot?.destroy();
      this.plot = new uPlot(this.options(s.shape, m.unit, width, height), columns(s, m), this.plotBox);
      this.layout = layout;
      this.drawn = s;
      return;
    }
    const plot = this.plot;
    plot.batch(() => {
      if (s !== this.drawn) {
        plot.setData(columns(s, m), false);
        this.drawn = s;
      }
      plot.setScale('x', { min: m.from, max: m.to });
    });
  }

  private options(shape: ChartSeries['shape'], unit: string, width: number, height: number): uPlot.Options {
    const t = theme();
    const axis = { stroke: t.axis, font: FONT, labelFont: FONT, grid: { stroke: t.grid, width: 1 }, ticks: { stroke: t.grid, width: 1, size: 4 } };
    return {
      width,
      height,
      ms: 1, // times in ms, as the bridge sends them; no tzDate: uPlot's default is local time
      series: [{ value: (_u, v) => (v === null ? '—' : dateTimeText(v)) }, ...this.seriesFor(shape, t.accent)],
      bands: shape === 'band' ? [{ series: [2, 3], fill: withAlpha(t.accent, 0.18) }] : [],
      scales: {
        x: { time: true, range: () => [this.model?.from ?? 0, this.model?.to ?? 1] },
        y: shape === 'states' ? { range: () => [-0.5, Math.max(1, this.model?.series?.states.length ?? 1) - 0.5] } : {},
      },
      axes: [{ ...axis, space: 72, values: (_u, splits, _a, _space, step) => timeTicks(splits, step) }, { ...axis, ...this.valueAxis(shape, unit) }],
      cursor: { drag: { x: true, y: false, setScale: false, dist: 8 }, points: { size: 7 } },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      legend: { show: true, live: true, mount: (_u, el) => this.legendBox.replaceChildren(el) },
      hooks: { setSelect: [(u) => this.selected(u)] },
    };
  }

  /** The drawn series: a line; a mean with the band's max and min (helpers); or steps. */
  private seriesFor(shape: ChartSeries['shape'], accent: string): uPlot.Series[] {
    const value = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : this.valueLabel(v));
    if (shape === 'band') {
      const edge = { class: HELPER, stroke: withAlpha(accent, 0.35), width: 1, points: { show: false } };
      return [
        {
          label: 'mean (min–max)',
          stroke: accent,
          width: 2,
          value: (u, v, _si, i) => (v === null || i === null ? '—' : `${value(v)} (${value(u.data[3]?.[i])} – ${value(u.data[2]?.[i])})`),
        },
        { ...edge, label: 'max' },
        { ...edge, label: 'min' },
      ];
    }
    if (shape === 'states') {
      return [{ label: 'state', stroke: accent, width: 2, paths: uPlot.paths.stepped!({ align: 1 }), value: (_u, v) => (v === null ? '—' : this.stateLabel(v)) }];
    }
    return [{ label: 'value', stroke: accent, width: 2, fill: (u) => areaFill(u, accent), value: (_u, v) => value(v), points: { size: 5 } }];
  }

  /** The value axis: numbers with the unit as its label, or a row per state. */
  private valueAxis(shape: ChartSeries['shape'], unit: string): uPlot.Axis {
    if (shape === 'states') {
      return { splits: () => this.model?.series?.states.map((_s, i) => i) ?? [], values: (_u, splits) => splits.map((i) => this.stateLabel(i)), size: axisSize };
    }
    const label = formatNumber(0, unit).unit;
    return { ...(label ? { label, labelSize: 18 } : {}), values: (_u, splits, _a, _space, step) => valueTicks(splits, step), size: axisSize };
  }

  /** A drag ended: the window under it (ms) goes to the controller; the box is cleared. */
  private selected(u: uPlot): void {
    const { left, width } = u.select;
    if (width <= 0) return;
    const from = u.posToVal(left, 'x');
    const to = u.posToVal(left + width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.onZoom(from, to);
  }

  private valueLabel(v: number): string {
    return valueText(v, this.model?.unit ?? '', this.model?.deviceClass ?? '');
  }

  private stateLabel(index: number): string {
    const m = this.model;
    const v = m?.series?.states[Math.round(index)];
    return v === undefined || m === null ? '' : stateText(m.id, v, m.deviceClass);
  }
}

/** The series as uPlot's columns; a state holds until the right edge of a live window. */
function columns(s: ChartSeries, m: ChartModel): Columns {
  if (s.shape === 'band') return [s.t as number[], s.y as number[], s.max as number[], s.min as number[]];
  const lastT = s.t[s.t.length - 1];
  const lastY = s.y[s.y.length - 1];
  if (s.shape === 'states' && m.live && lastT !== undefined && lastY !== undefined && lastT < m.to) return [[...s.t, m.to], [...s.y, lastY]];
  return [s.t as number[], s.y as number[]];
}

/** The area under a line: the accent fading to nothing at the bottom. */
function areaFill(u: uPlot, color: string): CanvasGradient | string {
  const { top, height } = u.bbox;
  if (!(height > 0)) return withAlpha(color, 0.1);
  const g = u.ctx.createLinearGradient(0, top, 0, top + height);
  g.addColorStop(0, withAlpha(color, 0.22));
  g.addColorStop(1, withAlpha(color, 0));
  return g;
}

/** Wide enough for the longest label (uPlot measures in device pixels). */
function axisSize(u: uPlot, values: string[] | null, axisIdx: number, cycleNum: number): number {
  const axis = u.axes[axisIdx];
  if (!axis) return 50;
  if (cycleNum > 1) return (axis as { _size?: number })._size ?? 50;
  const longest = (values ?? []).reduce((a, v) => (v.length > a.length ? v : a), '');
  // uPlot keeps its own idea of the context's font: put it back after measuring.
  const font = u.ctx.font;
  u.ctx.font = FONT;
  const labelWidth = longest === '' ? 0 : u.ctx.measureText(longest).width;
  u.ctx.font = font;
  return Math.ceil(labelWidth + (axis.ticks?.size ?? 4) + (axis.gap ?? 5) + 6);
}
