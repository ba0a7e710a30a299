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

  it("carries each room's maxRateHz; joining again with another rate changes it, with the same rate is nothing new", () => {
    const s = new Subscriptions();
    expect(s.add('sensor:*', { maxRateHz: 2 })).toBe(true);
    expect(s.add('sensor:a')).toBe(true);
    expect(s.add('sensor:*', { maxRateHz: 2 })).toBe(false);
    expect(s.add('sensor:*', { maxRateHz: 0.5 })).toBe(true);
    expect(s.subscribe('sensor:*')).toEqual({ type: 'subscribe', id: 'c1', payload: { room: 'sensor:*', maxRateHz: 0.5 } });
    expect(s.greeting(null)).toEqual([
      { type: 'subscribe', id: 'c2', payload: { room: 'sensor:a' } },
      { type: 'subscribe', id: 'c3', payload: { room: 'sensor:*', maxRateHz: 0.5 } },
    ]);
    // Back to every reading.
    expect(s.add('sensor:*')).toBe(true);
    expect(s.subscribe('sensor:*')).toEqual({ type: 'subscribe', id: 'c4', payload: { room: 'sensor:*' } });
  });
});

describe('Subscriptions resuming', () => {
  it('resumes an exact room from the seq it is given, before any prefix room; a prefix room is never asked (it refuses since)', () => {
    const s = new Subscriptions();
    s.add('sensor:*', { maxRateHz: 2 });
    s.add('sensor:kitchen.temp');
    s.add('sensor:door');
    const asked: string[] = [];
    const resume = (room: string): number | undefined => {
      asked.push(room);
      return room === 'sensor:kitchen.temp' ? 41 : undefined;
    };
    // The replay of an exact room comes before sensor:*'s snapshot, which would make it look old.
    expect(s.greeting(null, resume)).toEqual([
      { type: 'subscribe', id: 'c1', payload: { room: 'sensor:kitchen.temp', since: 41 } },
      { type: 'subscribe', id: 'c2', payload: { room: 'sensor:door' } },
      { type: 'subscribe', id: 'c3', payload: { room: 'sensor:*', maxRateHz: 2 } },
    ]);
    expect(asked).toEqual(['sensor:kitchen.temp', 'sensor:door']);
    // Seq 0 is a seq: the bridge replays everything after it.
    expect(s.greeting(null, () => 0)[0]).toEqual({ type: 'subscribe', id: 'c4', payload: { room: 'sensor:kitchen.temp', since: 0 } });
  });
});
