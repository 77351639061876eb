import { kafkaJmxMetrics, nodeExporterMetrics } from './infrastructure';
import { defaultRuntimeMetrics, runtimeMetrics } from './runtime';
import { streamsMetrics } from './streams';
import type { MetricSource, MetricSpec } from './types';

export type { MetricGroup, MetricSource, MetricSpec, MetricType } from './types';
export { SERVICE_LABELS } from './types';
export { streamsMetrics } from './streams';
export { runtimeMetrics, defaultRuntimeMetrics } from './runtime';
export { nodeExporterMetrics, kafkaJmxMetrics } from './infrastructure';

/** Every metric family a streamtune service, its host and its broker expose: one entry per name. */
export const metricCatalog: readonly MetricSpec[] = [
  ...Object.values(streamsMetrics),
  ...Object.values(runtimeMetrics),
  ...defaultRuntimeMetrics,
  ...nodeExporterMetrics,
  ...kafkaJmxMetrics,
];

const byName = new Map(metricCatalog.map((spec) => [spec.name, spec]));

/** Suffixes of the series a histogram or summary family exposes. */
const SERIES_SUFFIXES = ['_bucket', '_sum', '_count'];

/**
 * The catalog entry for a series or family name as a PromQL query writes it:
 * `streamtune_commit_latency_seconds_bucket` finds the histogram
 * `streamtune_commit_latency_seconds`. Undefined when the catalog has no such metric.
 */
export function findMetric(seriesName: string): MetricSpec | undefined {
  const exact = byName.get(seriesName);
  if (exact) return exact;
  for (const suffix of SERIES_SUFFIXES) {
    if (!seriesName.endsWith(suffix)) continue;
    const family = byName.get(seriesName.slice(0, -suffix.length));
    if (family && (family.type === 'histogram' || family.type === 'summary')) {
      if (suffix !== '_bucket' || family.type === 'histogram') return family;
    }
  }
  return undefined;
}

export function metricsFrom(source: MetricSource): MetricSpec[] {
  return metricCatalog.filter((spec) => spec.source === source);
}
