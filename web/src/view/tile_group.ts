// One device's group in the grid: a header (a real button that collapses it, with the device's
// name, how many sensors it has and its availability, shown once) over the list of its tiles.
import type { GroupState } from '../tile_layout';
import { el, setAttr, setHidden, setText } from './dom';

const SVG = 'http://www.w3.org/2000/svg';
let groups = 0;

function chevron(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'group-chevron');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', 'm5 7.5 5 5 5-5');
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '2');
  path.setAttribute('stroke-linecap', 'round');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}

export class TileGroupView {
  readonly root: HTMLLIElement;
  readonly toggle: HTMLButtonElement;
  /** The tiles' list: the grid puts tile cells here. */
  readonly list: HTMLUListElement;
  private readonly nameEl: HTMLElement;
  private readonly countEl: HTMLElement;
  private readonly stateEl: HTMLElement;

  constructor(
    readonly key: string,
    collapsed: boolean,
    onToggle: (key: string, collapsed: boolean) => void,
  ) {
    const listId = `tile-group-${++groups}`;
    this.root = el('li', 'tile-group', { 'data-device-group': key });
    const head = el('h2', 'group-head');
    this.toggle = el('button', 'group-toggle', { type: 'button', 'aria-controls': listId, 'data-action': 'toggle-group' });
    this.nameEl = el('span', 'group-name', { 'data-field': 'group-name' });
    this.countEl = el('span', 'group-count', { 'data-field': 'group-count' });
    this.stateEl = el('span', 'badge group-state', { 'data-field': 'group-state' });
    this.toggle.append(chevron(), this.nameEl, this.countEl, this.stateEl);
    head.append(this.toggle);
    this.list = el('ul', 'group-tiles', { id: listId });
    this.root.append(head, this.list);
    this.setCollapsed(collapsed);
    this.toggle.addEventListener('click', () => onToggle(key, !this.collapsed));
  }

  get collapsed(): boolean {
    return this.list.hidden;
  }

  setCollapsed(collapsed: boolean): void {
    setHidden(this.list, collapsed);
    setAttr(this.toggle, 'aria-expanded', String(!collapsed));
  }

  setLabel(label: string): void {
    setText(this.nameEl, label);
    setAttr(this.nameEl, 'title', label);
  }

  setCount(n: number): void {
    setText(this.countEl, `${n} sensor${n === 1 ? '' : 's'}`);
  }

  /** null: no state known yet (the group was just made). */
  setState(state: GroupState | null): void {
    if (state === null) this.root.removeAttribute('data-group-state');
    else setAttr(this.root, 'data-group-state', state);
    setText(this.stateEl, state ?? '');
  }
}
