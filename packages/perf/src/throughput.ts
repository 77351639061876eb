/** Throughput of a counted stream of events over its active span. */
export interface ThroughputSummary {
  count: number;
  /** Epoch ms of the first and last event; 0 when none. */
  firstAt: number;
  lastAt: number;
  /** count / (lastAt - firstAt), per second; 0 with fewer than two distinct times. */
  perSecond: number;
  /** Highest count in any one-second bucket. */
  peakPerSecond: number;
}

/** Counts events per second bucket; cheap enough to call for every record. */
export class ThroughputCounter {
  private count = 0;
  private firstAt = 0;
  private lastAt = 0;
  private readonly buckets = new Map<number, number>();

  add(n = 1, at = Date.now()): void {
    if (n <= 0) return;
    if (this.count === 0 || at < this.firstAt) this.firstAt = at;
    if (at > this.lastAt) this.lastAt = at;
    this.count += n;
    const second = Math.floor(at / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + n);
  }

  get total(): number {
    return this.count;
  }

  /** Events per second in each whole second, oldest first (for charts of a run). */
  perSecondSeries(): { second: number; count: number }[] {
    return [...this.buckets].sort((a, b) => a[0] - b[0]).map(([second, count]) => ({ second, count }));
  }

  summary(): ThroughputSummary {
    const span = this.lastAt - this.firstAt;
    return {
      count: this.count,
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      perSecond: span > 0 ? Math.round((this.count * 1000 * 100) / span) / 100 : 0,
      peakPerSecond: Math.max(0, ...this.buckets.values()),
    };
  }
}
