import { describe, expect, it } from 'vitest';
import { FrameScheduler } from '../../src/scheduler';

function fakeFrames() {
  const queue: (() => void)[] = [];
  let clock = 0;
  return {
    api: { request: (cb: () => void) => queue.push(cb), now: () => clock },
    runFrame: () => queue.splice(0).forEach((cb) => cb()),
    get requested() {
      return queue.length;
    },
    spend: (ms: number) => (clock += ms),
  };
}

describe('FrameScheduler', () => {
  it('renders each dirty sensor once per frame, however many updates arrived', () => {
    const f = fakeFrames();
    const rendered: string[] = [];
    const s = new FrameScheduler((id) => rendered.push(id), f.api);
    for (let i = 0; i < 10_000; i++) s.markDirty(`s${i % 1000}`);
    expect(f.requested).toBe(1);
    expect(rendered).toEqual([]);
    f.runFrame();
    expect(rendered).toHaveLength(1000);
    expect(new Set(rendered).size).toBe(1000);
    expect(f.requested).toBe(0);
  });

  it('carries work over to the next frame when over budget', () => {
    const f = fakeFrames();
    const rendered: string[] = [];
    const s = new FrameScheduler(
      (id) => {
        rendered.push(id);
        f.spend(4);
      },
      f.api,
      10,
    );
    ['a', 'b', 'c', 'd', 'e'].forEach((id) => s.markDirty(id));
    f.runFrame();
    expect(rendered).toEqual(['a', 'b', 'c']);
    expect(s.pending).toBe(2);
    f.runFrame();
    expect(rendered).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('keeps going after a render throws', () => {
    const f = fakeFrames();
    const rendered: string[] = [];
    const s = new FrameScheduler((id) => {
      if (id === 'bad') throw new Error('boom');
      rendered.push(id);
    }, f.api);
    const warn = console.warn;
    console.warn = () => {};
    ['bad', 'good'].forEach((id) => s.markDirty(id));
    f.runFrame();
    console.warn = warn;
    expect(rendered).toEqual(['good']);
  });

  it('reports when each frame was asked for and when it ran', () => {
    const f = fakeFrames();
    const frames: [number, number][] = [];
    const s = new FrameScheduler(() => f.spend(4), f.api, 10, (asked, ran) => frames.push([asked, ran]));
    f.spend(100);
    ['a', 'b', 'c', 'd'].forEach((id) => s.markDirty(id));
    f.spend(30); // a late frame
    f.runFrame(); // a, b, c: over budget, d waits; the next frame is asked for at 142
    f.spend(16);
    f.runFrame();
    expect(frames).toEqual([
      [100, 130],
      [142, 158],
    ]);
  });

  it('says how long the oldest dirty tile has waited: growing while frames run out of budget, 0 once all are drawn', () => {
    const f = fakeFrames();
    const s = new FrameScheduler(() => f.spend(6), f.api, 10);
    expect(s.waitingMs()).toBe(0);
    ['a', 'b', 'c', 'd', 'e', 'f'].forEach((id) => s.markDirty(id));
    f.spend(20);
    expect(s.waitingMs()).toBe(20);
    f.runFrame(); // a, b
    f.spend(20);
    expect(s.waitingMs()).toBe(52);
    f.runFrame(); // c, d
    f.runFrame(); // e, f
    expect(s.pending).toBe(0);
    expect(s.waitingMs()).toBe(0);
    s.markDirty('a');
    f.spend(5);
    expect(s.waitingMs()).toBe(5);
  });
});
