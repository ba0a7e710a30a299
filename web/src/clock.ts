import { RingBuffer } from './ring';

/**
 * Estimates the offset between the bridge's clock (receivedAt) and this browser's clock, so
 * ages stay right when the two disagree. Each live frame gives local − server = skew + delay;
 * the smallest recent sample is the best estimate of the skew alone.
 */
export class ServerClock {
  private readonly samples: RingBuffer<number>;
  private offset = 0;
  private windowMin = Infinity;
  private known = false;

  constructor(window = 64) {
    this.samples = new RingBuffer<number>(window);
  }

  /** Records a frame stamped `serverMs` by the bridge that arrived at local time `localMs`. */
  observe(serverMs: number, localMs: number): void {
    const sample = localMs - serverMs;
    const evicted = this.samples.length === this.samples.capacity ? this.samples.at(0) : undefined;
    this.samples.push(sample);
    // Rescan only when the evicted sample may have been the minimum (rare at 10 k frames/s).
    if (sample <= this.windowMin) {
      this.windowMin = sample;
    } else if (evicted !== undefined && evicted <= this.windowMin) {
      this.windowMin = Infinity;
      for (let i = 0; i < this.samples.length; i++) this.windowMin = Math.min(this.windowMin, this.samples.at(i) as number);
    }
    const min = this.windowMin;
    // Snapshot frames are old and only make samples larger, so the minimum is still the best
    // guess; it is only trusted when the bridge is ahead of us (negative), where ages would
    // otherwise come out negative. A bridge behind us merely makes ages a little generous.
    this.offset = Math.min(0, min);
    this.known = true;
  }

  /** Server time → local time (unchanged until a live frame has been seen). */
  toLocal(serverMs: number): number {
    return this.known ? serverMs + this.offset : serverMs;
  }

  get offsetMs(): number {
    return this.offset;
  }
}
