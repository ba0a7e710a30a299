// How many readings a second per sensor the grid asks the bridge for (`maxRateHz`, docs/PROTOCOL.md
// §3). A tile is read, not watched: a couple of changes a second is all a person takes in, and a
// page fed faster only falls behind. The rate drops when the page falls behind (frames come late,
// tiles wait to be drawn, readings arrive late) and rises again after it has kept up for a while.
// Pure: every decision comes from the samples passed in (no timers), so tests drive it.

/** The page's load over one sample period (load_meter.ts measures it). */
export interface LoadSample {
  /** When the sample was taken: ms on a monotonic clock (performance.now()). */
  at: number;
  /** Mean wait for an animation frame, from asking for one to its callback (ms); 0 without frames. */
  frameDelayMs: number;
  /** How long the oldest tile waiting to be drawn has waited (ms); 0 when none waits. */
  drawWaitMs: number;
  /** Median lateness of recent readings: arrival − the bridge's receivedAt, clock-corrected (ms). */
  lagMs: number;
}

/** Bounds on a sample's signals; `lagMs` counts beyond the rate's own interval (see verdict). */
export interface LoadLimits {
  frameDelayMs: number;
  drawWaitMs: number;
  lagMs: number;
}

export interface RateOptions {
  /**
   * The rates it picks from, ascending. The highest is the ceiling: a tile that changes twice a
   * second can still be read. The lowest is the floor: the bridge may hold a reading one
   * interval, so at 1 Hz a tile shows one at most 1 s old plus its delivery, within the 2 s of
   * live the page promises; lower would break that. Fixed rungs keep the rate from wandering.
   */
  ratesHz: readonly number[];
  /** The rate asked for first (one of ratesHz): the ceiling, until the page shows it cannot. */
  startHz: number;
  /**
   * Falling behind goes down to the highest rung at or below rate × this, a clear step so the
   * page recovers at once; keeping up goes one rung up, a smaller step: creeping back up is
   * cheaper than overshooting.
   */
  downFactor: number;
  /** Any signal over these: behind. */
  behind: LoadLimits;
  /** Every signal under these: keeping up. In between the rate holds (hysteresis). */
  keepingUp: LoadLimits;
  /** Behind in this many samples in a row lowers the rate: one late frame is no trend. */
  behindSamples: number;
  /** Keeping up this long raises the rate again. */
  upAfterMs: number;
  /**
   * A raise taken back within trialMs doubles the wait before the next raise to that rate (or
   * above), up to maxUpAfterMs; one that holds through its trial clears it. Without this a page
   * that copes with 1 Hz but not with 1.5 would try 1.5 every 12 s.
   */
  trialMs: number;
  maxUpAfterMs: number;
  /**
   * After a change (or a reconnect) samples are not judged this long: the new rate, and the
   * snapshot a subscribe brings, take a moment to show.
   */
  settleMs: number;
  /** Samples further apart than this (a hidden tab, a frozen page) start the keep-up wait afresh. */
  gapMs: number;
}

export const DEFAULT_RATE_OPTIONS: RateOptions = {
  ratesHz: [1, 1.5, 2],
  startHz: 2,
  downFactor: 0.5,
  behind: { frameDelayMs: 100, drawWaitMs: 500, lagMs: 1_000 },
  keepingUp: { frameDelayMs: 50, drawWaitMs: 150, lagMs: 250 },
  behindSamples: 2,
  upAfterMs: 10_000,
  maxUpAfterMs: 80_000,
  trialMs: 30_000,
  settleMs: 2_000,
  gapMs: 5_000,
};

export type LoadVerdict = 'behind' | 'hold' | 'keeping-up';

/**
 * What one sample says at `rateHz`. The bridge may hold a reading up to one interval (1/rate)
 * before it sends it (the newest wins), so that much lag is the rate's, not the page's.
 */
export function verdict(s: LoadSample, rateHz: number, o: Pick<RateOptions, 'behind' | 'keepingUp'>): LoadVerdict {
  const lag = s.lagMs - 1_000 / rateHz;
  const over = (l: LoadLimits): boolean => s.frameDelayMs > l.frameDelayMs || s.drawWaitMs > l.drawWaitMs || lag > l.lagMs;
  if (over(o.behind)) return 'behind';
  return over(o.keepingUp) ? 'hold' : 'keeping-up';
}

export class RateController {
  private readonly o: RateOptions;
  private hz: number;
  private settledAt: number;
  private lastAt: number | null = null;
  private behindRun = 0;
  private keepingUpSince: number | null = null;
  /** The last raise, while on trial. */
  private lastRaise: { at: number; hz: number } | null = null;
  /** The lowest rate a raise to which was taken back, and the wait before trying it again. */
  private failed: { hz: number; waitMs: number } | null = null;

  /** `now`: the page's start; its first snapshot is not judged either. */
  constructor(now: number, options: Partial<RateOptions> = {}) {
    this.o = { ...DEFAULT_RATE_OPTIONS, ...options };
    if (!this.o.ratesHz.includes(this.o.startHz)) throw new RangeError('startHz must be one of ratesHz');
    this.hz = this.o.startHz;
    this.settledAt = now + this.o.settleMs;
  }

  get rateHz(): number {
    return this.hz;
  }

  /** A (re)connect: its snapshot is a burst of old readings, not a sign of the page's load. */
  settle(now: number): void {
    this.settledAt = Math.max(this.settledAt, now + this.o.settleMs);
    this.restart();
  }

  /** Judges one sample; returns the new rate when it changes, else null. */
  observe(s: LoadSample): number | null {
    const gap = this.lastAt === null ? 0 : s.at - this.lastAt;
    this.lastAt = s.at;
    if (s.at < this.settledAt) {
      this.restart();
      return null;
    }
    if (gap > this.o.gapMs) this.keepingUpSince = null;
    if (this.lastRaise !== null && s.at - this.lastRaise.at >= this.o.trialMs) this.passed(this.lastRaise.hz);
    const v = verdict(s, this.hz, this.o);
    if (v === 'behind') {
      this.keepingUpSince = null;
      return ++this.behindRun >= this.o.behindSamples ? this.lower(s.at) : null;
    }
    this.behindRun = 0;
    if (v === 'hold') {
      this.keepingUpSince = null;
      return null;
    }
    this.keepingUpSince ??= s.at;
    return s.at - this.keepingUpSince >= this.waitBeforeRaise() ? this.raise(s.at) : null;
  }

  /** How long to keep up before going one rung up: longer towards a rate that failed before. */
  private waitBeforeRaise(): number {
    const next = this.nextUp();
    const f = this.failed;
    return f !== null && next !== undefined && next >= f.hz ? f.waitMs : this.o.upAfterMs;
  }

  private nextUp(): number | undefined {
    return this.o.ratesHz.find((r) => r > this.hz);
  }

  /** A raise to `hz` held through its trial: rates up to it are no longer suspect. */
  private passed(hz: number): void {
    this.lastRaise = null;
    if (this.failed !== null && hz >= this.failed.hz) this.failed = null;
  }

  private lower(at: number): number | null {
    this.behindRun = 0;
    const rates = this.o.ratesHz;
    const target = this.hz * this.o.downFactor;
    const next = rates.reduce((best, r) => (r <= target && r > best ? r : best), rates[0] as number);
    if (next >= this.hz) return null;
    const raise = this.lastRaise;
    if (raise !== null && at - raise.at < this.o.trialMs) {
      const waitMs = Math.min(this.o.maxUpAfterMs, 2 * (this.failed?.waitMs ?? this.o.upAfterMs));
      this.failed = { hz: Math.min(raise.hz, this.failed?.hz ?? Infinity), waitMs };
    }
    this.lastRaise = null;
    return this.change(next, at);
  }

  private raise(at: number): number | null {
    this.keepingUpSince = at;
    const next = this.nextUp();
    if (next === undefined) return null;
    this.lastRaise = { at, hz: next };
    return this.change(next, at);
  }

  private change(hz: number, at: number): number {
    this.hz = hz;
    this.settledAt = at + this.o.settleMs;
    this.restart();
    return hz;
  }

  private restart(): void {
    this.behindRun = 0;
    this.keepingUpSince = null;
  }
}
