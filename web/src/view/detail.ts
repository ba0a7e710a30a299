// The detail dialog: a larger time chart, a few statistics and the raw latest reading; for an
// offline or stale sensor, a "Remove sensor" button with an in-dialog confirmation.
import type { SensorReading } from '../protocol';
import type { Point, TileState } from '../store';
import { TimeChart } from './chart';
import { must, setAttr, setHidden, setText } from './dom';
import { formatDuration, formatNumber, formatValue } from './format';

export interface DetailModel {
  id: string;
  /** '' when no discovery config names the sensor. */
  name: string;
  /** Home Assistant's device_class, '' when unknown. */
  deviceClass: string;
  /** null: the sensor is known by its status alone. */
  reading: SensorReading | null;
  state: TileState;
  age: string;
  points: readonly Point[];
  usualIntervalMs: number | null;
}

/**
 * Removing the sensor: nothing while it is live ('hidden'), the button ('offer'), the question
 * ('confirm'), the request in flight ('busy'); with the bridge's last refusal, if any.
 */
export interface RemovalModel {
  step: 'hidden' | 'offer' | 'confirm' | 'busy';
  error: string | null;
}

/** What the removal buttons ask for (detail_controller.ts's askRemove, cancelRemove, confirmRemove). */
export interface RemovalActions {
  ask(): void;
  cancel(): void;
  confirm(): void;
}

export class DetailView {
  private readonly chart: TimeChart;
  private readonly chartBox: HTMLElement;
  private readonly closeButton: HTMLButtonElement;
  private readonly removeButton: HTMLButtonElement;
  private readonly confirmBox: HTMLElement;
  private readonly confirmButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly removeError: HTMLElement;
  private current: string | null = null;
  private onClosed: ((id: string) => void) | null = null;

  constructor(
    private readonly dialog: HTMLDialogElement,
    actions: RemovalActions,
  ) {
    const canvas = must<HTMLCanvasElement>(dialog, '[data-field="chart"]');
    this.chartBox = must<HTMLElement>(dialog, '.detail-chart');
    this.chart = new TimeChart(canvas, '', '');
    this.closeButton = must<HTMLButtonElement>(dialog, '[data-action="close"]');
    this.closeButton.addEventListener('click', () => this.close());
    this.removeButton = must<HTMLButtonElement>(dialog, '[data-action="remove"]');
    this.confirmBox = must<HTMLElement>(dialog, '[data-field="remove-confirm"]');
    this.confirmButton = must<HTMLButtonElement>(dialog, '[data-action="remove-confirm"]');
    this.cancelButton = must<HTMLButtonElement>(dialog, '[data-action="remove-cancel"]');
    this.removeError = must<HTMLElement>(dialog, '[data-field="remove-error"]');
    this.removeButton.addEventListener('click', () => actions.ask());
    this.cancelButton.addEventListener('click', () => actions.cancel());
    this.confirmButton.addEventListener('click', () => actions.confirm());
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
    const f = r === null ? { value: '', unit: '' } : formatValue(r.sensorId, r.value, r.unit ?? '', m.deviceClass);
    // The title: the name over the id ([data-field="title"] always holds the id).
    const nameEl = must<HTMLElement>(this.dialog, '[data-field="name"]');
    setText(nameEl, m.name);
    setHidden(nameEl, m.name === '');
    setAttr(this.dialog, 'data-named', String(m.name !== ''));
    setText(must(this.dialog, '[data-field="value"]'), f.value);
    setText(must(this.dialog, '[data-field="unit"]'), f.unit);
    this.renderAge(m.age, m.state);
    this.chart.set(m.id, r?.unit ?? '', m.points, m.deviceClass);
    this.renderStats(r, m.points, m.usualIntervalMs, m.deviceClass);
    setText(must(this.dialog, '[data-field="raw"]'), r === null ? 'No reading yet: only its status is known.' : JSON.stringify(r, null, 2));
  }

  renderAge(age: string, state: TileState): void {
    setText(must(this.dialog, '[data-field="age"]'), age);
    const badge = must<HTMLElement>(this.dialog, '[data-field="state"]');
    setAttr(this.dialog, 'data-state', state);
    setText(badge, state);
  }

  renderRemoval(m: RemovalModel): void {
    const focused = this.dialog.ownerDocument.activeElement;
    setAttr(this.dialog, 'data-removal', m.step);
    setHidden(this.removeButton, m.step !== 'offer');
    setHidden(this.confirmBox, m.step !== 'confirm' && m.step !== 'busy');
    setHidden(this.cancelButton, m.step === 'busy');
    // Not `disabled`: the focused button keeps focus while the request is in flight.
    setAttr(this.confirmButton, 'aria-disabled', String(m.step === 'busy'));
    setText(this.confirmButton, m.step === 'busy' ? 'Removing…' : 'Remove');
    setText(this.removeError, m.error ?? '');
    // Focus on a control that just went away moves to this step's own control.
    if (focused instanceof HTMLElement && this.dialog.contains(focused) && focused.closest('[hidden]') !== null) {
      const next = { hidden: this.closeButton, offer: this.removeButton, confirm: this.cancelButton, busy: this.confirmButton }[m.step];
      next.focus();
    }
  }

  private renderStats(r: SensorReading | null, points: readonly Point[], usual: number | null, deviceClass: string): void {
    const nums = points.map((p) => p.v).filter((v): v is number => typeof v === 'number');
    const fmt = (v: number): string => {
      const f = formatNumber(v, r?.unit ?? '', deviceClass);
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
