import { describe, expect, it } from 'vitest';
import { HistoryLoader } from '../../src/history_loader';
import type { SensorReading } from '../../src/protocol';
import { reading } from './fixtures';

describe('HistoryLoader', () => {
  it('asks once per sensor, at most N at a time, and again after a reset', async () => {
    const pending: { id: string; resolve: (r: SensorReading[]) => void }[] = [];
    const loaded: string[] = [];
    const loader = new HistoryLoader(
      (id) => new Promise((resolve) => pending.push({ id, resolve })),
      (id) => loaded.push(id),
      2,
    );
    ['a', 'b', 'c', 'a', 'b'].forEach((id) => loader.want(id));
    expect(pending.map((p) => p.id)).toEqual(['a', 'b']);
    pending[0]!.resolve([reading({ sensorId: 'a' })]);
    await new Promise((r) => setTimeout(r, 0));
    expect(loaded).toEqual(['a']);
    expect(pending.map((p) => p.id)).toEqual(['a', 'b', 'c']);
    loader.want('a');
    expect(pending).toHaveLength(3);
    loader.reset();
    loader.want('a');
    pending[1]!.resolve([]);
    await new Promise((r) => setTimeout(r, 0));
    expect(pending.map((p) => p.id)).toEqual(['a', 'b', 'c', 'a']);
  });
});
