import { afterEach, describe, expect, it, vi } from 'vitest';
import { configureApiAuth, fetchLatest, requestHeaders } from '../../src/api';
import { authPrompt, isAuthClose, sessionTokenStorage, TOKEN_KEY, TokenPrompt, TokenStore, type TokenForm, type TokenStorage } from '../../src/auth';

class MapStorage implements TokenStorage {
  readonly map = new Map<string, string>();
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.map.set(k, v);
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
}

class ThrowingStorage implements TokenStorage {
  getItem(): string | null {
    throw new Error('SecurityError');
  }
  setItem(): void {
    throw new Error('QuotaExceededError');
  }
  removeItem(): void {
    throw new Error('SecurityError');
  }
}

describe('TokenStore', () => {
  it('keeps a trimmed token in session storage and forgets it on clear', () => {
    const storage = new MapStorage();
    const store = new TokenStore(storage);
    expect(store.get()).toBeNull();
    expect(store.set('  abc.def.ghi \n')).toBe(true);
    expect(storage.map.get(TOKEN_KEY)).toBe('abc.def.ghi');
    expect(new TokenStore(storage).get()).toBe('abc.def.ghi'); // a reload of the tab finds it
    store.clear();
    expect(store.get()).toBeNull();
    expect(storage.map.size).toBe(0);
  });

  it('refuses empty and oversized tokens', () => {
    const store = new TokenStore(new MapStorage());
    expect(store.set('   ')).toBe(false);
    expect(store.set('x'.repeat(4097))).toBe(false);
    expect(store.get()).toBeNull();
  });

  it('falls back to memory where storage throws or is missing', () => {
    for (const storage of [new ThrowingStorage(), null]) {
      const store = new TokenStore(storage);
      expect(store.set('tok-1234567890abcdef')).toBe(true);
      expect(store.get()).toBe('tok-1234567890abcdef');
      store.clear();
      expect(store.get()).toBeNull();
    }
    const hostile = {
      get sessionStorage(): TokenStorage {
        throw new Error('SecurityError');
      },
    };
    expect(sessionTokenStorage(hostile)).toBeNull();
    expect(sessionTokenStorage(null)).toBeNull();
  });
});

describe('auth decisions', () => {
  it('only 1008 closes about tokens ask for one', () => {
    for (const reason of ['invalid token', 'token expired', 'token required', 'authentication timeout', 'token revoked']) {
      expect(isAuthClose(1008, reason), reason).toBe(true);
    }
    expect(isAuthClose(1008, 'message rate limit exceeded')).toBe(false);
    expect(isAuthClose(1001, 'token expired')).toBe(false);
    expect(isAuthClose(4008, 'slow consumer')).toBe(false);
  });

  it('tells a first visit from a refused or expired token', () => {
    expect(authPrompt('token required', false)).toMatch(/needs an access token/);
    expect(authPrompt('token expired', true)).toMatch(/expired/);
    expect(authPrompt('invalid token', true)).toMatch(/refused/);
  });
});

describe('REST with a token', () => {
  afterEach(() => {
    configureApiAuth(null);
    vi.unstubAllGlobals();
  });

  it('sends the token as a Bearer header', () => {
    expect(requestHeaders(null)).toEqual({ Accept: 'application/json' });
    expect(requestHeaders('t0k')).toEqual({ Accept: 'application/json', Authorization: 'Bearer t0k' });
  });

  it('reports a 401 and resolves to null', async () => {
    const seen: RequestInit[] = [];
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      seen.push(init);
      return Promise.resolve(new Response('{"error":{"code":"UNAUTHORIZED","message":"invalid token"}}', { status: 401 }));
    });
    const onUnauthorized = vi.fn();
    configureApiAuth({ token: () => 'wrong-token', onUnauthorized });
    expect(await fetchLatest('/')).toBeNull();
    expect(onUnauthorized).toHaveBeenCalledWith('invalid token');
    expect((seen[0]?.headers as Record<string, string>)['Authorization']).toBe('Bearer wrong-token');
  });
});

describe('TokenPrompt', () => {
  class FakeForm implements TokenForm {
    shown = false;
    texts: string[] = [];
    show(text: string): void {
      this.shown = true;
      this.texts.push(text);
    }
  }

  function setup(initial: string | null) {
    const tokens = new TokenStore(new MapStorage());
    if (initial !== null) tokens.set(initial);
    const form = new FakeForm();
    const onToken = vi.fn();
    return { tokens, form, onToken, prompt: new TokenPrompt(tokens, form, onToken) };
  }

  it('asks a first visitor for a token', () => {
    const { form, prompt } = setup(null);
    prompt.ask('token required');
    expect(form.texts).toEqual(['This bridge needs an access token.']);
  });

  it('keeps a token while the bridge merely wants one (a REST 401 racing the socket auth)', () => {
    const { tokens, form, prompt } = setup('tok-1234567890abcdef');
    prompt.ask('token required');
    expect(tokens.get()).toBe('tok-1234567890abcdef');
    expect(form.texts).toEqual(['This bridge needs an access token.']);
  });

  it('forgets a refused or expired token and says which', () => {
    const refused = setup('wrong-token-1234567890');
    refused.prompt.ask('invalid token');
    expect(refused.tokens.get()).toBeNull();
    expect(refused.form.texts[0]).toMatch(/refused/);
    const expired = setup('old-token-1234567890');
    expired.prompt.ask('token expired');
    expect(expired.tokens.get()).toBeNull();
    expect(expired.form.texts[0]).toMatch(/expired/);
  });

  it('asks only once while the form is up', () => {
    const { tokens, form, prompt } = setup('tok-1234567890abcdef');
    form.shown = true;
    prompt.ask('invalid token');
    expect(form.texts).toEqual([]);
    expect(tokens.get()).toBe('tok-1234567890abcdef');
  });

  it('keeps a usable answer and reconnects with it; asks again for an unusable one', () => {
    const { tokens, form, onToken, prompt } = setup(null);
    prompt.use('   ');
    expect(form.texts).toEqual(['That does not look like a token.']);
    expect(onToken).not.toHaveBeenCalled();
    prompt.use(' tok-1234567890abcdef ');
    expect(tokens.get()).toBe('tok-1234567890abcdef');
    expect(onToken).toHaveBeenCalledTimes(1);
  });
});
