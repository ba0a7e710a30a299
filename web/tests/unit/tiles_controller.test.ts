import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../src/clock';
import { SensorStore, type TileState } from '../../src/store';
import { TilesController, type Tile, type TileGrid } from '../../src/tiles_controller';
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
  get(id: string): FakeTile | undefined {
    return this.tiles.get(id);
  }
  all(): Iterable<FakeTile> {
    return this.tiles.values();
  }
  add(id: string): void {
    if (!this.tiles.has(id)) this.tiles.set(id, new FakeTile(id));
  }
  remove(id: string): void {
    this.tiles.delete(id);
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

  it('lets tiles fetch their history again after a reconnect, not after the first connect', () => {
    const { tiles, resets } = setup();
    tiles.socketOpened();
    expect(resets()).toBe(0);
    tiles.socketOpened();
    tiles.socketOpened();
    expect(resets()).toBe(2);
  });
});
