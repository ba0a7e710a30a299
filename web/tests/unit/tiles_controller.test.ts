import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../src/clock';
import { SensorStore, type TileState } from '../../src/store';
import { TilesController, type Tile, type TileGrid } from '../../src/tiles_controller';
import { TileLayout, type GroupState, type Placement } from '../../src/tile_layout';
import type { TileModel } from '../../src/view/tile';
import { Freshness } from '../../src/view_model';
import { reading, T0 } from './fixtures';

class FakeTile implements Tile {
  readonly root = { hidden: false };
  readonly button = { dataset: { state: 'live' } as Record<string, string | undefined> };
  visible = true;
  needsRender = true;
  models: TileModel[] = [];
  ages: string[] = [];
  constructor(readonly id: string) {}
  render(m: TileModel): void {
    this.needsRender = false;
    this.models.push(m);
    this.button.dataset['state'] = m.state;
  }
  renderAge(age: string, state: TileState): boolean {
    this.ages.push(age);
    const changed = this.button.dataset['state'] !== state;
    this.button.dataset['state'] = state;
    return changed;
  }
}

class FakeGrid implements TileGrid {
  readonly tiles = new Map<string, FakeTile>();
  readonly layout = new TileLayout();
  /** The last state drawn per group key. */
  readonly groupStates = new Map<string, GroupState | null>();
  get(id: string): FakeTile | undefined {
    return this.tiles.get(id);
  }
  all(): Iterable<FakeTile> {
    return this.tiles.values();
  }
  add(id: string, p: Placement): void {
    if (this.tiles.has(id)) return;
    this.tiles.set(id, new FakeTile(id));
    this.layout.place(id, p);
  }
  place(id: string, p: Placement): void {
    this.layout.place(id, p);
  }
  remove(id: string): void {
    this.tiles.delete(id);
    this.layout.remove(id);
  }
  renderGroup(key: string, state: GroupState | null): void {
    this.groupStates.set(key, state);
  }
}

function setup() {
  const store = new SensorStore();
  const grid = new FakeGrid();
  const wanted: string[] = [];
  let resets = 0;
  const dirty: string[] = [];
  const tiles = new TilesController(
    grid,
    store,
    new Freshness(store, new ServerClock()),
    { want: (id) => wanted.push(id), reset: () => resets++ },
    (id) => dirty.push(id),
  );
  return { store, grid, wanted, dirty, tiles, resets: () => resets };
}

describe('TilesController', () => {
  it('draws a visible tile from the store and asks for its history', () => {
    const { store, grid, wanted, tiles } = setup();
    store.applyReading(reading({ receivedAt: T0 }));
    tiles.add('temp-1');
    tiles.render('temp-1', T0 + 2_000);
    const tile = grid.get('temp-1')!;
    expect(tile.models).toHaveLength(1);
    expect(tile.models[0]).toMatchObject({ value: '21.5', unit: '°C', kind: 'number', age: '2 s ago', state: 'live' });
    expect(wanted).toEqual(['temp-1']);
  });

  it('a status-only tile is drawn without asking for history', () => {
    const { store, grid, wanted, tiles } = setup();
    store.applyStatus({ sensorId: 'sim-1', status: 'online', since: T0 });
    tiles.add('sim-1');
    tiles.render('sim-1', T0);
    expect(grid.get('sim-1')!.models[0]!.kind).toBe('none');
    expect(wanted).toEqual([]);
  });

  it('defers off-screen and filtered-out tiles until they show', () => {
    const { store, grid, wanted, tiles } = setup();
    store.applyReading(reading({ sensorId: 'a' }));
    store.applyReading(reading({ sensorId: 'b' }));
    tiles.add('a');
    tiles.add('b');
    const a = grid.get('a')!;
    const b = grid.get('b')!;
    a.visible = false;
    b.root.hidden = true;
    a.needsRender = false;
    b.needsRender = false;
    tiles.render('a', T0);
    tiles.render('b', T0);
    expect(a.models).toEqual([]);
    expect(b.models).toEqual([]);
    expect([a.needsRender, b.needsRender]).toEqual([true, true]);
    expect(wanted).toEqual([]);
    tiles.render('unknown', T0); // no tile, no entry: nothing happens
  });

  it('ticks ages, and a state change asks for a full render (off-screen: on showing)', () => {
    const { store, grid, dirty, tiles } = setup();
    store.applyReading(reading({ sensorId: 'a', receivedAt: T0 }));
    store.applyReading(reading({ sensorId: 'b', receivedAt: T0 }));
    tiles.add('a');
    tiles.add('b');
    const b = grid.get('b')!;
    b.visible = false;
    b.needsRender = false;
    tiles.tick(T0 + 60_000);
    expect(grid.get('a')!.ages).toEqual(['1 min ago']);
    expect(dirty).toEqual([]);
    expect(b.ages).toEqual([]);
    expect(b.needsRender).toBe(false);
    const later = T0 + store.options.defaultStaleMs + 1; // stale now
    tiles.tick(later);
    expect(dirty).toEqual(['a']);
    expect(b.needsRender).toBe(true);
  });

  it('puts tiles of one device in its group and draws the name and the class-formatted value', () => {
    const { store, grid, tiles } = setup();
    const device = { id: 'zigbee2mqtt_0x1', name: 'Porch' };
    store.applyReading(reading({ sensorId: 'Porch.temperature', value: 19.46, name: 'Porch Temperature', deviceClass: 'temperature', device }));
    store.applyReading(reading({ sensorId: 'Porch.contact', value: true, name: 'Porch Door', deviceClass: 'door', device }));
    store.applyReading(reading({ sensorId: 'loose' }));
    for (const id of ['Porch.temperature', 'Porch.contact', 'loose']) tiles.add(id, T0);
    expect(grid.layout.members('id:zigbee2mqtt_0x1')).toEqual(['Porch.contact', 'Porch.temperature']);
    expect(grid.layout.sectionOf('loose')).toBe('');
    tiles.render('Porch.temperature', T0);
    tiles.render('Porch.contact', T0);
    expect(grid.get('Porch.temperature')!.models[0]).toMatchObject({ name: 'Porch Temperature', deviceClass: 'temperature', value: '19.5' });
    expect(grid.get('Porch.contact')!.models[0]).toMatchObject({ name: 'Porch Door', value: 'open', kind: 'boolean' });
    expect(grid.groupStates.get('id:zigbee2mqtt_0x1')).toBe('online');
  });

  it('a sensor.meta moves a tile into its group on the next render, even off-screen; its old group updates', () => {
    const { store, grid, tiles } = setup();
    store.applyReading(reading({ sensorId: 'a', receivedAt: T0, device: { id: 'd1', name: 'One' } }));
    store.applyReading(reading({ sensorId: 'b', receivedAt: T0, device: { id: 'd1', name: 'One' } }));
    tiles.add('a', T0);
    tiles.add('b', T0);
    store.applyStatus({ sensorId: 'a', status: 'offline', since: T0 + 1 });
    grid.get('b')!.visible = false;
    expect(store.applyMeta({ sensorId: 'b', name: 'Bee', device: { id: 'd2', name: 'Two' } })).toBe('updated');
    tiles.render('b', T0 + 10);
    expect(grid.layout.sectionOf('b')).toBe('id:d2');
    expect(grid.get('b')!.models).toEqual([]); // off-screen: drawn later, but placed now
    expect(grid.groupStates.get('id:d2')).toBe('online');
    expect(grid.groupStates.get('id:d1')).toBe('offline'); // only 'a' is left, and it is offline
    tiles.remove('b', T0 + 20);
    expect(grid.layout.groups()).toEqual(['id:d1']);
  });

  it('ticks each group to its rule: offline when all are, online when any is live, else stale', () => {
    const { store, grid, tiles } = setup();
    const device = { id: 'd' };
    for (const id of ['x', 'y']) {
      store.applyReading(reading({ sensorId: id, receivedAt: T0, device }));
      tiles.add(id, T0);
    }
    tiles.tick(T0 + 1_000);
    expect(grid.groupStates.get('id:d')).toBe('online');
    store.applyStatus({ sensorId: 'x', status: 'offline', since: T0 + 2_000 });
    tiles.tick(T0 + 2_000);
    expect(grid.groupStates.get('id:d')).toBe('online');
    tiles.tick(T0 + store.options.defaultStaleMs + 1); // y is stale now, x offline
    expect(grid.groupStates.get('id:d')).toBe('stale');
    store.applyStatus({ sensorId: 'y', status: 'offline', since: T0 + store.options.defaultStaleMs + 2 });
    tiles.tick(T0 + store.options.defaultStaleMs + 3);
    expect(grid.groupStates.get('id:d')).toBe('offline');
  });

  it('lets tiles fetch their history again after a reconnect, not after the first connect', () => {
    const { tiles, resets } = setup();
    tiles.socketOpened();
    expect(resets()).toBe(0);
    tiles.socketOpened();
    tiles.socketOpened();
    expect(resets()).toBe(2);
  });
});
