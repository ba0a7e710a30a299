// One sensor tile: its name (when its discovery config gives one) over its id, value with unit,
// age, state badge and sparkline.
import type { Point, TileState, ValueKind } from '../store';
import { el, setAttr, setHidden, setText } from './dom';
import { drawSparkline } from './sparkline';

export interface TileModel {
  /** '' when no discovery config names the sensor: the id is the title then. */
  name: string;
  /** Home Assistant's device_class ('' when unknown), for styling by what it measures. */
  deviceClass: string;
  value: string;
  /** For booleans, the raw value: false reads as a muted state. */
  bool: boolean | null;
  unit: string;
  /** 'none': the sensor is known by its status alone (no reading yet). */
  kind: ValueKind | 'none';
  state: TileState;
  age: string;
  /** The bridge's receivedAt of the reading drawn (null: none), for automation: data-received-at. */
  receivedAt: number | null;
  points: readonly Point[];
}

const STATE_LABEL: Record<TileState, string> = { live: '', stale: 'stale', offline: 'offline' };

/** The badge: a tile without a reading says "online" too, since its state is all it shows. */
function badgeText(state: TileState, kind: string | undefined): string {
  return state === 'live' && kind === 'none' ? 'online' : STATE_LABEL[state];
}

export class TileView {
  readonly root: HTMLLIElement;
  readonly button: HTMLButtonElement;
  readonly canvas: HTMLCanvasElement;
  /** On screen (IntersectionObserver); off-screen tiles defer drawing until they scroll in. */
  visible = true;
  /** A render was skipped while off-screen. */
  needsRender = true;
  sparkWidth = 0;
  sparkHeight = 0;
  private readonly nameEl: HTMLElement;
  private readonly idEl: HTMLElement;
  private readonly valueEl: HTMLElement;
  private readonly unitEl: HTMLElement;
  private readonly ageEl: HTMLElement;
  private readonly badgeEl: HTMLElement;

  constructor(readonly id: string) {
    this.root = el('li', 'tile-cell');
    this.button = el('button', 'tile', {
      type: 'button',
      'data-sensor-id': id,
      'data-state': 'live',
      'aria-haspopup': 'dialog',
    });
    const head = el('span', 'tile-head');
    // A name is the title and the id goes beneath it, small; without a name the id is the title.
    const titles = el('span', 'tile-titles');
    this.nameEl = el('span', 'tile-name', { 'data-field': 'name' });
    this.nameEl.hidden = true;
    this.idEl = el('span', 'tile-id', { 'data-field': 'id', title: id }, id);
    titles.append(this.nameEl, this.idEl);
    head.append(titles);
    const reading = el('span', 'tile-reading');
    this.valueEl = el('span', 'tile-value', { 'data-field': 'value' });
    this.unitEl = el('span', 'tile-unit', { 'data-field': 'unit' });
    reading.append(this.valueEl, this.unitEl);
    this.canvas = el('canvas', 'tile-spark', { 'aria-hidden': 'true' });
    const foot = el('span', 'tile-foot');
    this.ageEl = el('span', 'tile-age', { 'data-field': 'age' });
    this.badgeEl = el('span', 'badge', { 'data-field': 'state' });
    foot.append(this.ageEl, this.badgeEl);
    this.button.append(head, reading, this.canvas, foot);
    this.root.append(this.button);
  }

  render(m: TileModel): void {
    this.needsRender = false;
    this.renderName(m.name);
    if (m.deviceClass === '') this.button.removeAttribute('data-device-class');
    else setAttr(this.button, 'data-device-class', m.deviceClass);
    setText(this.valueEl, m.value);
    if (m.receivedAt === null) this.button.removeAttribute('data-received-at');
    else setAttr(this.button, 'data-received-at', String(m.receivedAt));
    setText(this.unitEl, m.unit);
    setAttr(this.button, 'data-kind', m.kind);
    if (m.bool === null) this.button.removeAttribute('data-bool');
    else setAttr(this.button, 'data-bool', String(m.bool));
    this.renderAge(m.age, m.state);
    setText(this.badgeEl, badgeText(m.state, m.kind));
    if (this.sparkWidth > 0) drawSparkline(this.canvas, this.sparkWidth, this.sparkHeight, m.points, m.state);
  }

  private renderName(name: string): void {
    setText(this.nameEl, name);
    setHidden(this.nameEl, name === '');
    setAttr(this.nameEl, 'title', name);
    this.idEl.classList.toggle('tile-id-sub', name !== '');
  }

  /** The once-a-second part: age text and the state it implies. Returns true when the state changed. */
  renderAge(age: string, state: TileState): boolean {
    setText(this.ageEl, age);
    const changed = this.button.dataset['state'] !== state;
    if (changed) {
      this.button.dataset['state'] = state;
      setText(this.badgeEl, badgeText(state, this.button.dataset['kind']));
    }
    return changed;
  }
}
