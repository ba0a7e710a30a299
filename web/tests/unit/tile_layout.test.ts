import { describe, expect, it } from 'vitest';
import { FLAT, groupState, placementOf, TileLayout } from '../../src/tile_layout';

const porch = { id: 'zigbee2mqtt_0x1', name: 'Porch' };

describe('placementOf', () => {
  it('groups by device id, else by device name; no device: flat', () => {
    expect(placementOf('Porch.temperature', { name: 'Porch Temperature', device: porch })).toEqual({
      title: 'Porch Temperature',
      name: 'Porch Temperature',
      group: { key: 'id:zigbee2mqtt_0x1', label: 'Porch' },
    });
    expect(placementOf('x', { device: { name: 'Shed' } }).group).toEqual({ key: 'name:Shed', label: 'Shed' });
    expect(placementOf('x', { device: { id: 'dev-9' } }).group).toEqual({ key: 'id:dev-9', label: 'dev-9' });
    expect(placementOf('x', { name: 'Loose' })).toEqual({ title: 'Loose', name: 'Loose', group: null });
    expect(placementOf('x', {})).toEqual({ title: 'x', name: '', group: null });
  });

  it('a device name that looks like an id does not join that id\'s group', () => {
    expect(placementOf('a', { device: { id: 'Porch' } }).group?.key).not.toBe(placementOf('b', { device: { name: 'Porch' } }).group?.key);
  });
});

describe('groupState', () => {
  it('offline when every sensor is offline, online when any is live, stale otherwise', () => {
    expect(groupState(['offline', 'offline'])).toBe('offline');
    expect(groupState(['offline', 'live', 'stale'])).toBe('online');
    expect(groupState(['live'])).toBe('online');
    expect(groupState(['stale', 'offline'])).toBe('stale');
    expect(groupState(['stale'])).toBe('stale');
    expect(groupState([])).toBeNull();
  });
});

describe('TileLayout', () => {
  it('keeps flat tiles and each group\'s tiles apart, in title order, groups by label', () => {
    const layout = new TileLayout();
    layout.place('temp-10', placementOf('temp-10', {}));
    layout.place('temp-2', placementOf('temp-2', {}));
    layout.place('Porch.temperature', placementOf('Porch.temperature', { name: 'Porch Temperature', device: porch }));
    layout.place('Porch.contact', placementOf('Porch.contact', { name: 'Porch Door', device: porch }));
    layout.place('kitchen.t', placementOf('kitchen.t', { device: { name: 'Kitchen' } }));
    expect(layout.members(FLAT)).toEqual(['temp-2', 'temp-10']);
    expect(layout.members('id:zigbee2mqtt_0x1')).toEqual(['Porch.contact', 'Porch.temperature']); // "Door" < "Temperature"
    expect(layout.groups()).toEqual(['name:Kitchen', 'id:zigbee2mqtt_0x1']);
    expect(layout.sectionsInOrder().map((s) => s.key)).toEqual([FLAT, 'name:Kitchen', 'id:zigbee2mqtt_0x1']);
    expect(layout.next('Porch.contact')).toBe('Porch.temperature');
    expect(layout.next('Porch.temperature')).toBeNull();
    expect(layout.nextGroup('name:Kitchen')).toBe('id:zigbee2mqtt_0x1');
    expect(layout.nextGroup('id:zigbee2mqtt_0x1')).toBeNull();
  });

  it('moves a tile when its device or name changes, drops an emptied group, and says when nothing changed', () => {
    const layout = new TileLayout();
    const p = placementOf('a', { device: { id: 'd1', name: 'One' } });
    expect(layout.place('a', p)).toEqual({ moved: true, relabelled: null });
    expect(layout.place('a', p)).toEqual({ moved: false, relabelled: null });
    expect(layout.place('a', placementOf('a', { device: { id: 'd2', name: 'Two' } })).moved).toBe(true);
    expect(layout.sectionOf('a')).toBe('id:d2');
    expect(layout.groups()).toEqual(['id:d2']);
    expect(layout.members('id:d1')).toEqual([]);
    // The config went: back to the flat tiles.
    layout.place('a', placementOf('a', {}));
    expect(layout.sectionOf('a')).toBe(FLAT);
    expect(layout.groups()).toEqual([]);
  });

  it('a renamed device relabels and re-sorts its group', () => {
    const layout = new TileLayout();
    layout.place('a', placementOf('a', { device: { id: 'd1', name: 'Attic' } }));
    layout.place('b', placementOf('b', { device: { id: 'd2', name: 'Basement' } }));
    expect(layout.groups()).toEqual(['id:d1', 'id:d2']);
    expect(layout.place('a', placementOf('a', { device: { id: 'd1', name: 'Cellar' } }))).toEqual({ moved: false, relabelled: 'id:d1' });
    expect(layout.label('id:d1')).toBe('Cellar');
    expect(layout.groups()).toEqual(['id:d2', 'id:d1']);
  });

  it('remove takes the tile out and says where it was; the last one takes its group', () => {
    const layout = new TileLayout();
    layout.place('a', placementOf('a', { device: { id: 'd' } }));
    layout.place('b', placementOf('b', { device: { id: 'd' } }));
    expect(layout.remove('a')).toBe('id:d');
    expect(layout.groups()).toEqual(['id:d']);
    expect(layout.remove('b')).toBe('id:d');
    expect(layout.groups()).toEqual([]);
    expect(layout.remove('b')).toBeUndefined();
    expect(layout.sectionOf('b')).toBeUndefined();
  });
});
