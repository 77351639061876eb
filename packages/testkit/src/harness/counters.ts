/**
 * Counters that survive restarts. A process's counters begin at 0 again when it restarts, so
 * a raw value can fall; this adds each source's increase since its previous reading (a fall
 * is a restart, and counts from 0), giving totals and rates that never go backwards.
 */
export class MonotonicCounters {
  private readonly last = new Map<string, Map<string, number>>();
  private readonly totals = new Map<string, Map<string, number>>();

  /** Records `source`'s raw reading of `key`; returns that source's running total. */
  observe(source: string, key: string, value: number): number {
    const last = this.entry(this.last, source);
    const totals = this.entry(this.totals, source);
    const previous = last.get(key) ?? 0;
    const total = (totals.get(key) ?? 0) + (value >= previous ? value - previous : value);
    last.set(key, value);
    totals.set(key, total);
    return total;
  }

  /** `source`'s running total of `key`, or the sum over every source ever seen. */
  total(key: string, source?: string): number {
    if (source !== undefined) return this.totals.get(source)?.get(key) ?? 0;
    let sum = 0;
    for (const totals of this.totals.values()) sum += totals.get(key) ?? 0;
    return sum;
  }

  /** Forgets the last readings of `source`: it was restarted, and its next reading counts from 0. */
  restarted(source: string): void {
    this.last.delete(source);
  }

  private entry(map: Map<string, Map<string, number>>, source: string): Map<string, number> {
    let m = map.get(source);
    if (!m) map.set(source, (m = new Map()));
    return m;
  }
}
