// Batches tile updates: a reading only marks its sensor dirty; one animation frame renders each
// dirty sensor once, however many readings arrived. A time budget per frame keeps input and
// scrolling responsive under floods; what does not fit waits for the next frame. How late frames
// come and how long tiles wait is what tells the grid's rate control (rate_control.ts) the page
// falls behind.

export interface FrameApi {
  request(cb: () => void): unknown;
  now(): number;
}

const browserFrames: FrameApi = {
  request: (cb) => requestAnimationFrame(() => cb()),
  now: () => performance.now(),
};

export class FrameScheduler {
  private readonly dirty = new Set<string>();
  private scheduled = false;
  private requestedAt = 0;
  /** Since when a dirty sensor has been waiting (null: none waits). */
  private waitingSince: number | null = null;

  constructor(
    private readonly render: (id: string) => void,
    private readonly frames: FrameApi = browserFrames,
    private readonly budgetMs = 10,
    /** Each frame: when it was asked for and when it ran (frames.now()). */
    private readonly onFrame: ((requestedAt: number, startedAt: number) => void) | null = null,
  ) {}

  get pending(): number {
    return this.dirty.size;
  }

  /** How long the oldest dirty sensor has waited to be drawn at `now` (frames.now()); 0 when none. */
  waitingMs(now = this.frames.now()): number {
    return this.waitingSince === null ? 0 : Math.max(0, now - this.waitingSince);
  }

  markDirty(id: string): void {
    if (this.dirty.size === 0) this.waitingSince = this.frames.now();
    this.dirty.add(id);
    if (!this.scheduled) this.requestFrame();
  }

  /** Renders dirty sensors (oldest first) until the frame budget is spent. */
  flush(): void {
    this.scheduled = false;
    const start = this.frames.now();
    this.onFrame?.(this.requestedAt, start);
    for (const id of this.dirty) {
      this.dirty.delete(id);
      try {
        this.render(id);
      } catch (err) {
        console.warn('sensor-bridge: render failed for', id, err);
      }
      if (this.frames.now() - start > this.budgetMs) break;
    }
    // What did not fit keeps its wait: a wait that grows frame after frame is drawing falling behind.
    if (this.dirty.size === 0) this.waitingSince = null;
    else if (!this.scheduled) this.requestFrame();
  }

  private requestFrame(): void {
    this.scheduled = true;
    this.requestedAt = this.frames.now();
    this.frames.request(() => this.flush());
  }
}
