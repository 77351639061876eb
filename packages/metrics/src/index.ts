export { createServiceMetrics } from './service-metrics';
export type { ServiceMetrics, ServiceMetricsOptions } from './service-metrics';
export { instrumentStreams } from './instrument/index';
export type { StreamsSource } from './instrument/index';
export { nativeMemoryBytes } from './runtime-metrics';
export {
  metricCatalog,
  findMetric,
  metricsFrom,
  streamsMetrics,
  runtimeMetrics,
  defaultRuntimeMetrics,
  nodeExporterMetrics,
  kafkaJmxMetrics,
  SERVICE_LABELS,
} from './catalog/index';
export type { MetricSpec, MetricSource, MetricGroup, MetricType } from './catalog/index';
export { metricNamesInPromQL } from './promql-names';
