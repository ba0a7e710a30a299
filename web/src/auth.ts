// The access token, when the bridge has a --token-file. Kept in sessionStorage: it survives a
// reload of the tab, not the tab itself, and other tabs do not see it (localStorage would keep
// it on disk for good). It goes out in the `auth` message after each connect and as a Bearer
// header on REST; never in a URL.

export const TOKEN_KEY = 'sensor-bridge.token';
const MAX_TOKEN_LENGTH = 4096;

/** The part of the Web Storage API used here (a Map stands in for it in tests). */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class TokenStore {
  private memory: string | null = null;

  /** storage null (disabled, private mode throwing): the token lives in memory only. */
  constructor(private readonly storage: TokenStorage | null) {}

  get(): string | null {
    try {
      return this.storage?.getItem(TOKEN_KEY) ?? this.memory;
    } catch {
      return this.memory;
    }
  }

  /** Keeps token (trimmed); false, and nothing kept, when it is empty or too long. */
  set(token: string): boolean {
    const t = token.trim();
    if (t === '' || t.length > MAX_TOKEN_LENGTH) return false;
    this.memory = t;
    try {
      this.storage?.setItem(TOKEN_KEY, t);
    } catch {
      // Quota or a disabled storage: memory is enough for this page.
    }
    return true;
  }

  clear(): void {
    this.memory = null;
    try {
      this.storage?.removeItem(TOKEN_KEY);
    } catch {
      // Nothing to remove.
    }
  }
}

/** The tab's sessionStorage, or null where touching it throws (sandboxed frames, some private modes). */
export function sessionTokenStorage(win: { sessionStorage: TokenStorage } | null | undefined): TokenStorage | null {
  try {
    return win?.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Whether a close means the bridge refused this client's token: 1008 (policy) with one of the
 * bridge's auth reasons. Its message-rate close is 1008 too, and is just retried.
 */
export function isAuthClose(code: number, reason: string): boolean {
  return code === 1008 && /token|authenticat/i.test(reason);
}

/** What to tell the user when asking for a token. */
export function authPrompt(reason: string, hadToken: boolean): string {
  if (!hadToken) return 'This bridge needs an access token.';
  if (/expired/i.test(reason)) return 'The access token has expired: enter a new one.';
  return 'The bridge refused the access token: check it and try again.';
}

/** The token form as the prompt drives it (view/auth.ts's AuthView; a fake in tests). */
export interface TokenForm {
  readonly shown: boolean;
  show(text: string): void;
}

/** When to ask for a token, what to forget first, and what to do with the one entered. */
export class TokenPrompt {
  constructor(
    private readonly tokens: TokenStore,
    private readonly form: TokenForm,
    /** A usable token was entered: reconnect and reload with it. */
    private readonly onToken: () => void,
  ) {}

  /** The bridge wants a token or refused ours (reason: its message): forget a refused one and ask. */
  ask(reason: string): void {
    if (this.form.shown) return;
    const had = this.tokens.get() !== null;
    // A REST 401 can arrive while the socket still authenticates: only a refusal clears the token.
    const refused = had && reason !== 'token required';
    if (refused) this.tokens.clear();
    this.form.show(authPrompt(reason, refused));
  }

  /** The form's answer. */
  use(token: string): void {
    if (!this.tokens.set(token)) {
      this.form.show('That does not look like a token.');
      return;
    }
    this.onToken();
  }
}
