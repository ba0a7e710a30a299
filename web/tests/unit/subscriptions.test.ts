import { describe, expect, it } from 'vitest';
import { Subscriptions } from '../../src/subscriptions';

describe('Subscriptions', () => {
  it('greets with the auth first, then one subscribe per room, each with a new correlation id', () => {
    const s = new Subscriptions();
    s.add('sensor:*');
    s.add('sensor:kitchen.*');
    s.add('sensor:*'); // once only
    expect(s.greeting('tok')).toEqual([
      { type: 'auth', id: 'c1', payload: { token: 'tok' } },
      { type: 'subscribe', id: 'c2', payload: { room: 'sensor:*' } },
      { type: 'subscribe', id: 'c3', payload: { room: 'sensor:kitchen.*' } },
    ]);
    // A reconnect without a token: the same rooms again, ids going on.
    expect(s.greeting(null)).toEqual([
      { type: 'subscribe', id: 'c4', payload: { room: 'sensor:*' } },
      { type: 'subscribe', id: 'c5', payload: { room: 'sensor:kitchen.*' } },
    ]);
  });

  it('forgets a room it leaves; leaving one never joined says so', () => {
    const s = new Subscriptions();
    s.add('sensor:a');
    expect(s.remove('sensor:b')).toBe(false);
    expect(s.remove('sensor:a')).toBe(true);
    expect(s.greeting(null)).toEqual([]);
    expect(s.unsubscribe('sensor:a')).toEqual({ type: 'unsubscribe', payload: { room: 'sensor:a' } });
    expect(s.subscribe('sensor:a')).toEqual({ type: 'subscribe', id: 'c1', payload: { room: 'sensor:a' } });
  });
});
