// Fetches each visible tile's recent history once (per connection), a few requests at a time,
// so sparklines have a shape right after page load instead of a single dot.
import type { SensorReading } from './protocol';

export class HistoryLoader {
  private readonly requested = new Set<string>();
  private readonly queue: string[] = [];
  private inFlight = 0;

  constructor(
    private readonly fetchHistory: (id: string) => Promise<SensorReading[]>,
    private readonly onLoaded: (id: string, readings: SensorReading[]) => void,
    private readonly concurrency = 4,
  ) {}

  /** Queues `id` unless it was already requested since the last reset. */
  want(id: string): void {
    if (this.requested.has(id)) return;
    this.requested.add(id);
    this.queue.push(id);
    this.pump();
  }

  /** After a reconnect the rings have a gap: let tiles fetch again as they render. */
  reset(): void {
    this.requested.clear();
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift() as string;
      this.inFlight++;
      this.fetchHistory(id)
        .then((readings) => this.onLoaded(id, readings))
        .catch(() => {})
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}
