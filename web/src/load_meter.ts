// The page's load between two samples for rate_control.ts: how late animation frames come (the
// scheduler reports each), how late readings arrive (the socket reports each), and, at sampling,
// how long tiles have waited to be drawn. No timers, no DOM.
import type { LoadSample } from './rate_control';
import { RingBuffer } from './ring';
import { median } from './store';

/** The lag of this many recent readings is kept: the median of a burst, not of one straggler. */
const LAG_SAMPLES = 64;

export class LoadMeter {
  private frames = 0;
  private delaySum = 0;
  private readonly lags = new RingBuffer<number>(LAG_SAMPLES);
  /** Frames asked for before this (a hidden tab's, which never came) are not counted. */
  private since = -Infinity;

  /** An animation frame asked for at `requestedAt` ran at `startedAt` (performance.now()). */
  frame(requestedAt: number, startedAt: number): void {
    if (requestedAt < this.since) return;
    this.frames++;
    this.delaySum += Math.max(0, startedAt - requestedAt);
  }

  /** A reading arrived `lagMs` after the bridge received it (in the page's clock). */
  delivered(lagMs: number): void {
    this.lags.push(lagMs);
  }

  /**
   * The sample of the period since the last take (or reset), and a new period. Lags of earlier
   * periods are dropped: a reconnect's snapshot (old readings of quiet sensors) must not linger.
   */
  take(at: number, drawWaitMs: number): LoadSample {
    const sample: LoadSample = {
      at,
      frameDelayMs: this.frames === 0 ? 0 : this.delaySum / this.frames,
      // A wait that began before a reset is counted from it: the hidden tab drew nothing by design.
      drawWaitMs: Math.max(0, Math.min(drawWaitMs, at - this.since)),
      lagMs: this.lags.length === 0 ? 0 : median(this.lags.toArray()),
    };
    this.clear();
    return sample;
  }

  /** Forgets the period so far (the page was hidden): frames asked for before `now` are not counted. */
  reset(now: number): void {
    this.since = now;
    this.clear();
  }

  private clear(): void {
    this.frames = 0;
    this.delaySum = 0;
    this.lags.clear();
  }
}
