// The detail dialog: a larger time chart, a few statistics and the raw latest reading.
import type { SensorReading } from '../protocol';
import type { Point, TileState } from '../store';
import { TimeChart } from './chart';
import { must, setAttr, setText } from './dom';
import { formatDuration, formatNumber, formatValue } from './format';

export interface DetailModel {
  id: string;
  /** null: the sensor is known by its status alone. */
  reading: SensorReading | null;
  state: TileState;
  age: string;
  points: readonly Point[];
  usualIntervalMs: number | null;
}

export class DetailView {
  private readonly chart: TimeChart;
  private readonly chartBox: HTMLElement;
  private current: string | null = null;
  private onClosed: ((id: string) => void) | null = null;

  constructor(private readonly dialog: HTMLDialogElement) {
    const canvas = must<HTMLCanvasElement>(dialog, '[data-field="chart"]');
    this.chartBox = must<HTMLElement>(dialog, '.detail-chart');
    this.chart = new TimeChart(canvas, '', '');
    must<HTMLButtonElement>(dialog, '[data-action="close"]').addEventListener('click', () => this.close());
    // A click on the backdrop (the dialog element itself, outside its content) closes it.
    dialog.addEventListener('click', (e) => {
      if (e.target === dialog) this.close();
    });
    dialog.addEventListener('close', () => {
      const id = this.current;
      this.current = null;
      if (id !== null) this.onClosed?.(id);
    });
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver((entries) => {
        const box = entries[0]?.contentRect;
        if (box) this.chart.resize(box.width, box.height);
      }).observe(this.chartBox);
    }
  }

  get openId(): string | null {
    return this.current;
  }

  open(id: string, onClosed: (id: string) => void): void {
    this.current = id;
    this.onClosed = onClosed;
    setText(must(this.dialog, '[data-field="title"]'), id);
    if (!this.dialog.open) this.dialog.showModal();
    const box = this.chartBox.getBoundingClientRect();
    this.chart.resize(box.width, box.height);
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  render(m: DetailModel): void {
    const r = m.reading;
    const f = r === null ? { value: '', unit: '' } : formatValue(r.sensorId, r.value, r.unit ?? '');
    setText(must(this.dialog, '[data-field="value"]'), f.value);
    setText(must(this.dialog, '[data-field="unit"]'), f.unit);
    this.renderAge(m.age, m.state);
    this.chart.set(m.id, r?.unit ?? '', m.points);
    this.renderStats(r, m.points, m.usualIntervalMs);
    setText(must(this.dialog, '[data-field="raw"]'), r === null ? 'No reading yet: only its status is known.' : JSON.stringify(r, null, 2));
  }

  renderAge(age: string, state: TileState): void {
    setText(must(this.dialog, '[data-field="age"]'), age);
    const badge = must<HTMLElement>(this.dialog, '[data-field="state"]');
    setAttr(this.dialog, 'data-state', state);
    setText(badge, state);
  }

  private renderStats(r: SensorReading | null, points: readonly Point[], usual: number | null): void {
    const nums = points.map((p) => p.v).filter((v): v is number => typeof v === 'number');
    const fmt = (v: number): string => {
      const f = formatNumber(v, r?.unit ?? '');
      return `${f.value} ${f.unit}`.trim();
    };
    const stats: [string, string][] = [
      ['min', nums.length ? fmt(Math.min(...nums)) : '—'],
      ['max', nums.length ? fmt(Math.max(...nums)) : '—'],
      ['mean', nums.length ? fmt(nums.reduce((a, b) => a + b, 0) / nums.length) : '—'],
      ['points', String(points.length)],
      ['usual interval', usual === null ? 'learning…' : formatDuration(usual)],
      ['seq', r === null ? '—' : String(r.seq)],
      ['topic', r?.topic ?? '—'],
      ['sensor time', r === null ? '—' : new Date(r.timestamp).toLocaleString()],
    ];
    for (const [name, value] of stats) {
      const node = this.dialog.querySelector(`[data-stat="${name}"]`);
      if (node) setText(node, value);
    }
  }
}
