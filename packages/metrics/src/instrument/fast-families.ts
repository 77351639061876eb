import type { Registry } from 'prom-client';
import type { MetricSpec } from '../catalog/index';

/**
 * Counter and histogram families for the per-record events. prom-client validates and
 * hashes the label object on every inc/observe (about 2-3 µs each), which at tens of
 * thousands of records per second is a visible share of a core. These keep one series
 * object per label combination, looked up by a joined key, and render only at scrape
 * time. They register with a prom-client Registry through its metric interface
 * (`name`, `type`, `get()`), so the exposition is prom-client's.
 */
abstract class FastFamily<L extends string, S extends { labels: Record<string, string> }> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  readonly aggregator = 'sum';
  protected readonly byKey = new Map<string, S>();

  constructor(registry: Registry, spec: MetricSpec<L>) {
    this.name = spec.name;
    this.help = spec.help;
    this.labelNames = spec.labels;
    registry.registerMetric(this as never);
  }

  protected abstract create(labels: Record<string, string>): S;

  /** The series for label values in the spec's label order. */
  series(...values: string[]): S {
    const key =
      values.length === 1
        ? values[0]!
        : values.length === 2
          ? `${values[0]}\u0001${values[1]}`
          : values.join('\u0001');
    let series = this.byKey.get(key);
    if (!series) {
      if (values.length !== this.labelNames.length) {
        throw new Error(
          `${this.name} takes labels ${this.labelNames.join(', ')}; got ${values.length} values`,
        );
      }
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i]!));
      series = this.create(labels);
      this.byKey.set(key, series);
    }
    return series;
  }

  reset(): void {
    this.byKey.clear();
  }
}

export interface CounterSeries {
  labels: Record<string, string>;
  value: number;
}

export class FastCounter<L extends string> extends FastFamily<L, CounterSeries> {
  readonly type = 'counter';

  protected create(labels: Record<string, string>): CounterSeries {
    return { labels, value: 0 };
  }

  async get() {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [...this.byKey.values()].map((s) => ({ labels: s.labels, value: s.value })),
    };
  }
}

export interface HistogramSeries {
  labels: Record<string, string>;
  /** Non-cumulative count per bucket; the last slot is above the largest bound (+Inf). */
  counts: Float64Array;
  sum: number;
  count: number;
}

export class FastHistogram<L extends string> extends FastFamily<L, HistogramSeries> {
  readonly type = 'histogram';
  private readonly bounds: Float64Array;

  constructor(registry: Registry, spec: MetricSpec<L>) {
    super(registry, spec);
    if (!spec.buckets?.length) throw new Error(`${spec.name}: a histogram needs buckets`);
    this.bounds = Float64Array.from(spec.buckets);
  }

  protected create(labels: Record<string, string>): HistogramSeries {
    return { labels, counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
  }

  observe(series: HistogramSeries, value: number): void {
    if (!Number.isFinite(value)) return;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    series.counts[i]!++;
    series.sum += value;
    series.count++;
  }

  async get() {
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (const s of this.byKey.values()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += s.counts[i]!;
        values.push({ labels: { ...s.labels, le }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: { ...s.labels }, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...s.labels }, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

/** Task labels by TaskId object: the runtime keeps one id object per task, so this skips building the string. */
const taskLabels = new WeakMap<object, string>();

export function cachedTaskLabel(taskId: { subtopology: number; partition: number }): string {
  let label = taskLabels.get(taskId);
  if (label === undefined) {
    label = `${taskId.subtopology}_${taskId.partition}`;
    taskLabels.set(taskId, label);
  }
  return label;
}
