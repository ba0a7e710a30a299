// The detail dialog: the history chart (history_chart.ts), figures of the range it shows and
// of the sensor, and the raw latest reading; for an offline or stale sensor, a "Remove sensor"
// button with an in-dialog confirmation.
import type { ChartModel } from '../chart_controller';
import { bucketWidth } from '../chart_series';
import type { SensorReading } from '../protocol';
import type { TileState } from '../store';
import { valueText } from './chart_axes';
import { must, setAttr, setHidden, setText } from './dom';
import { formatDuration, formatValue } from './format';
import { HistoryChart, type ChartActions } from './history_chart';

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
  private readonly chart: HistoryChart;
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
    chartActions: ChartActions,
  ) {
    this.chart = new HistoryChart(must<HTMLElement>(dialog, '[data-field="chart"]'), chartActions);
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
  }

  get openId(): string | null {
    return this.current;
  }

  open(id: string, onClosed: (id: string) => void): void {
    this.current = id;
    this.onClosed = onClosed;
    setText(must(this.dialog, '[data-field="title"]'), id);
    if (!this.dialog.open) this.dialog.showModal();
    this.chart.fit();
  }

  /** The chart's width in CSS pixels (the dialog is open: it has its size). */
  chartWidth(): number {
    return this.chart.width;
  }

  /** The chart, and the figures of the range it shows. */
  renderChart(m: ChartModel): void {
    this.chart.render(m);
    const text = (v: number | null): string => (v === null ? '—' : valueText(v, m.unit, m.deviceClass));
    const s = m.series;
    const width = s === null ? null : bucketWidth(s.resolution);
    this.setStat('min', text(m.stats.min));
    this.setStat('max', text(m.stats.max));
    this.setStat('mean', text(m.stats.mean));
    this.setStat('points', s === null ? '—' : String(s.t.length));
    this.setStat('readings', s === null ? '—' : String(m.stats.readings));
    // `raw`: every reading; else the width of a bucket.
    this.setStat('resolution', s === null ? '—' : width === null ? 'raw' : formatDuration(width));
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
    this.renderStats(r, m.usualIntervalMs);
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

  private renderStats(r: SensorReading | null, usual: number | null): void {
    this.setStat('usual interval', usual === null ? 'learning…' : formatDuration(usual));
    this.setStat('seq', r === null ? '—' : String(r.seq));
    this.setStat('topic', r?.topic ?? '—');
    this.setStat('sensor time', r === null ? '—' : new Date(r.timestamp).toLocaleString());
  }

  private setStat(name: string, value: string): void {
    const node = this.dialog.querySelector(`[data-stat="${name}"]`);
    if (node) setText(node, value);
  }
}
