import { describe, expect, it } from 'vitest';
import { StatusTracker, type ConnectionStatus } from '../../src/connection_status';

function tracker(): { t: StatusTracker; seen: ConnectionStatus[] } {
  const seen: ConnectionStatus[] = [];
  return { t: new StatusTracker((s) => seen.push(s)), seen };
}

describe('StatusTracker', () => {
  it('starts closed, not started, and reports nothing until something changes', () => {
    const { t, seen } = tracker();
    expect(t.current).toEqual({ state: 'closed', retryAt: null, failures: 0, reason: 'not started' });
    expect(seen).toEqual([]);
  });

  it('counts failures across retries until the server greets a connection', () => {
    const { t, seen } = tracker();
    t.connecting();
    t.retrying(1_500, 'closed (1006)');
    t.connecting();
    t.retrying(4_000, 'connect timeout');
    expect(t.current).toEqual({ state: 'connecting', retryAt: 4_000, failures: 2, reason: 'connect timeout' });
    t.connecting();
    t.opened();
    expect(t.current).toEqual({ state: 'open', retryAt: null, failures: 2, reason: '' });
    t.healthy();
    expect(t.current.failures).toBe(0);
    expect(seen.map((s) => s.state)).toEqual(['connecting', 'connecting', 'connecting', 'connecting', 'connecting', 'open', 'open']);
  });

  it('reports a status only when a field of it changed', () => {
    const { t, seen } = tracker();
    t.connecting();
    t.connecting();
    t.opened();
    t.opened();
    t.healthy(); // failures were 0 already
    expect(seen).toHaveLength(2);
  });

  it('offline keeps the failure count; needing a token and stopping reset it', () => {
    const { t } = tracker();
    t.retrying(1_000, 'closed (1006)');
    t.offline();
    expect(t.current).toEqual({ state: 'closed', retryAt: null, failures: 1, reason: 'network offline' });
    t.needsToken();
    expect(t.current).toEqual({ state: 'closed', retryAt: null, failures: 0, reason: 'access token needed' });
    t.retrying(1_000, 'x');
    t.stopped();
    expect(t.current).toEqual({ state: 'closed', retryAt: null, failures: 0, reason: 'stopped' });
  });
});
