import { MonotonicCounters } from '@streamtune/testkit/harness';
import { quantileMs, type ServiceSample } from './scrape';

/** One service's line of the live view, counters summed over its restarts. */
export interface ServiceRow {
  state: string;
  restarts: number;
  processed: number;
  inRate: number;
  /** Records acknowledged per output topic, and their rate. */
  sent: Map<string, { total: number; rate: number }>;
  p99Ms: number | undefined;
  /** Consumer-group lag (committed offsets); undefined until it is first measured. */
  lag: number | undefined;
  rssBytes: number;
  deadLetters: number;
  dropped: number;
}

interface Reading {
  at: number;
  processed: number;
  sent: Map<string, number>;
  buckets: Map<number, number>;
}

/**
 * Turns scrapes into rows. Counters start at 0 again when a service restarts, so totals go
 * through MonotonicCounters and rates are differences of those totals: a restart shows as
 * a pause, never as a negative rate or a counter back at 0.
 */
export class LiveStats {
  private readonly counters = new MonotonicCounters();
  private readonly previous = new Map<string, Reading>();
  private readonly incarnation = new Map<string, number>();

  row(
    name: string,
    sample: ServiceSample,
    at: number,
    restarts: number,
    lag: number | undefined,
  ): ServiceRow {
    if ((this.incarnation.get(name) ?? 0) !== restarts) {
      this.incarnation.set(name, restarts);
      this.counters.restarted(name);
    }
    const before = this.previous.get(name);
    const now = sample.up ? this.read(name, sample, at) : undefined;
    const current = now ?? before;
    const rate = (a: number, b: number | undefined) =>
      now && before && now.at > before.at ? ((a - (b ?? a)) * 1000) / (now.at - before.at) : 0;
    const sent = new Map<string, { total: number; rate: number }>();
    for (const [topic, total] of current?.sent ?? [])
      sent.set(topic, { total, rate: rate(total, before?.sent.get(topic)) });
    if (now) this.previous.set(name, now);
    return {
      state: sample.state,
      restarts,
      processed: current?.processed ?? 0,
      inRate: now ? rate(now.processed, before?.processed) : 0,
      sent,
      p99Ms: now ? quantileMs(now.buckets, before?.buckets, 0.99) : undefined,
      lag,
      rssBytes: sample.rssBytes,
      deadLetters: this.counters.total('dead-letters', name),
      dropped: this.counters.total('dropped', name),
    };
  }

  /** The p99 process latency over the whole run, restarts included. */
  lifetimeP99Ms(name: string): number | undefined {
    const last = this.previous.get(name);
    return last ? quantileMs(last.buckets, undefined, 0.99) : undefined;
  }

  private read(name: string, s: ServiceSample, at: number): Reading {
    const total = (key: string, value: number) => this.counters.observe(name, key, value);
    total('dead-letters', s.deadLetters);
    total('dropped', s.dropped);
    const sent = new Map([...s.sentByTopic].map(([t, v]) => [t, total(`sent:${t}`, v)]));
    const buckets = new Map([...s.latencyBuckets].map(([le, v]) => [le, total(`le:${le}`, v)]));
    return { at, processed: total('processed', s.processed), sent, buckets };
  }
}
