import { hostname } from 'node:os';
import { Counter, Gauge } from 'prom-client';
import { createServiceMetrics, type ServiceMetrics } from '@streamtune/metrics';

export interface LoadgenCounts {
  produced: Record<string, number>;
  malformed: Record<string, number>;
  late: Record<string, number>;
  measuredOrders: number;
  drainOrders: number;
  behindMs: number;
}

/**
 * /metrics for a run (when a port is given): what was produced per topic and how
 * far behind schedule the producer is, beside the runtime metrics every app has.
 */
export class LoadgenMetrics {
  private readonly seen = new Map<string, number>();

  private constructor(
    private readonly service: ServiceMetrics,
    private readonly records: Counter<'topic' | 'kind'>,
    private readonly orders: Counter<'phase'>,
    private readonly behind: Gauge,
  ) {}

  static async start(port: number): Promise<LoadgenMetrics> {
    const service = await createServiceMetrics({
      service: 'loadgen',
      instance: process.env.INSTANCE ?? `${hostname()}-${process.pid}`,
      port,
    });
    const registers = [service.registry];
    const metrics = new LoadgenMetrics(
      service,
      new Counter({
        name: 'streamtune_loadgen_records_total',
        help: 'Records produced, by input topic and kind (good, malformed copy, late).',
        labelNames: ['topic', 'kind'],
        registers,
      }),
      new Counter({
        name: 'streamtune_loadgen_orders_total',
        help: 'Orders planned, by phase (measured, drain).',
        labelNames: ['phase'],
        registers,
      }),
      new Gauge({
        name: 'streamtune_loadgen_behind_seconds',
        help: 'How far the producer is behind its schedule.',
        registers,
      }),
    );
    service.markReady();
    return metrics;
  }

  get url(): string {
    return `${this.service.url}/metrics`;
  }

  update(c: LoadgenCounts): void {
    const inc = (key: string, total: number, apply: (delta: number) => void) => {
      const delta = total - (this.seen.get(key) ?? 0);
      if (delta > 0) apply(delta);
      this.seen.set(key, total);
    };
    for (const [kind, counts] of [
      ['good', c.produced],
      ['malformed', c.malformed],
      ['late', c.late],
    ] as const) {
      for (const [topic, total] of Object.entries(counts)) {
        inc(`${kind}:${topic}`, total, (d) => this.records.inc({ topic, kind }, d));
      }
    }
    inc('orders:measured', c.measuredOrders, (d) => this.orders.inc({ phase: 'measured' }, d));
    inc('orders:drain', c.drainOrders, (d) => this.orders.inc({ phase: 'drain' }, d));
    this.behind.set(Math.max(0, c.behindMs) / 1000);
  }

  close(): Promise<void> {
    return this.service.close();
  }
}
