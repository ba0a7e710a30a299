// Which device groups are collapsed, remembered per device in localStorage: a view preference,
// nothing secret, and worth keeping across reloads and tabs (unlike the token, see auth.ts).
// Bounded: the most recently collapsed MAX_COLLAPSED groups.

export const COLLAPSED_KEY = 'sensor-bridge.collapsed-groups';
export const MAX_COLLAPSED = 500;

/** The part of the Web Storage API used here (a Map stands in for it in tests). */
export interface PrefStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export class CollapsedGroups {
  private readonly keys: Set<string>;

  /** storage null (disabled, throwing): remembered for this page only. */
  constructor(private readonly storage: PrefStorage | null) {
    this.keys = new Set(this.load());
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  set(key: string, collapsed: boolean): void {
    this.keys.delete(key);
    if (collapsed) this.keys.add(key);
    while (this.keys.size > MAX_COLLAPSED) this.keys.delete(this.keys.values().next().value as string);
    try {
      this.storage?.setItem(COLLAPSED_KEY, JSON.stringify([...this.keys]));
    } catch {
      // Quota or a disabled storage: this page still remembers.
    }
  }

  private load(): string[] {
    try {
      const saved: unknown = JSON.parse(this.storage?.getItem(COLLAPSED_KEY) ?? '[]');
      return Array.isArray(saved) ? saved.filter((k): k is string => typeof k === 'string').slice(-MAX_COLLAPSED) : [];
    } catch {
      return [];
    }
  }
}

/** The page's localStorage, or null where touching it throws (sandboxed frames, some private modes). */
export function localPrefStorage(win: { localStorage: PrefStorage } | null | undefined): PrefStorage | null {
  try {
    return win?.localStorage ?? null;
  } catch {
    return null;
  }
}
