import { describe, expect, it } from 'vitest';
import { COLLAPSED_KEY, CollapsedGroups, localPrefStorage, MAX_COLLAPSED, type PrefStorage } from '../../src/group_prefs';

function mapStorage(initial: Record<string, string> = {}): PrefStorage & { map: Map<string, string> } {
  const map = new Map(Object.entries(initial));
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

describe('CollapsedGroups', () => {
  it('remembers collapsed groups per device across pages', () => {
    const storage = mapStorage();
    const first = new CollapsedGroups(storage);
    first.set('id:porch', true);
    first.set('id:attic', true);
    first.set('id:attic', false);
    const second = new CollapsedGroups(storage);
    expect(second.has('id:porch')).toBe(true);
    expect(second.has('id:attic')).toBe(false);
    expect(JSON.parse(storage.map.get(COLLAPSED_KEY)!)).toEqual(['id:porch']);
  });

  it('survives junk and a throwing storage, and stays bounded', () => {
    expect(new CollapsedGroups(mapStorage({ [COLLAPSED_KEY]: '{not json' })).has('x')).toBe(false);
    expect(new CollapsedGroups(mapStorage({ [COLLAPSED_KEY]: '[1,"id:a"]' })).has('id:a')).toBe(true);
    const throwing: PrefStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    const groups = new CollapsedGroups(throwing);
    groups.set('id:a', true);
    expect(groups.has('id:a')).toBe(true); // kept for this page
    const storage = mapStorage();
    const many = new CollapsedGroups(storage);
    for (let i = 0; i <= MAX_COLLAPSED; i++) many.set(`id:${i}`, true);
    expect(many.has('id:0')).toBe(false); // the oldest went
    expect(many.has(`id:${MAX_COLLAPSED}`)).toBe(true);
    expect(JSON.parse(storage.map.get(COLLAPSED_KEY)!)).toHaveLength(MAX_COLLAPSED);
  });

  it('localPrefStorage gives null where touching localStorage throws', () => {
    const win = Object.defineProperty({}, 'localStorage', {
      get() {
        throw new Error('SecurityError');
      },
    }) as { localStorage: PrefStorage };
    expect(localPrefStorage(win)).toBeNull();
    expect(localPrefStorage(null)).toBeNull();
  });
});
