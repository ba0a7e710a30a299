// Batches tile updates: a reading only marks its sensor dirty; one animation frame renders each
// dirty sensor once, however many readings arrived. A time budget per frame keeps input and
// scrolling responsive under floods; what does not fit waits for the next frame.

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

  constructor(
    private readonly render: (id: string) => void,
    private readonly frames: FrameApi = browserFrames,
    private readonly budgetMs = 10,
  ) {}

  get pending(): number {
    return this.dirty.size;
  }

  markDirty(id: string): void {
    this.dirty.add(id);
    if (!this.scheduled) {
      this.scheduled = true;
      this.frames.request(() => this.flush());
    }
  }

  /** Renders dirty sensors (oldest first) until the frame budget is spent. */
  flush(): void {
    this.scheduled = false;
    const start = this.frames.now();
    for (const id of this.dirty) {
      this.dirty.delete(id);
      try {
        this.render(id);
      } catch (err) {
        console.warn('sensor-bridge: render failed for', id, err);
      }
      if (this.frames.now() - start > this.budgetMs) break;
    }
    if (this.dirty.size > 0 && !this.scheduled) {
      this.scheduled = true;
      this.frames.request(() => this.flush());
    }
  }
}
