/** Where a metric comes from, so a dashboard check knows which exporter must be scraped. */
export type MetricSource =
  /** instrumentStreams(): the @streamtune/streams observability events */
  | 'streams'
  /** createServiceMetrics(): prom-client's default metrics plus event loop and native memory */
  | 'runtime'
  /** Prometheus node-exporter on the host (CPU, memory, network, disk) */
  | 'node-exporter'
  /** the Kafka broker's JMX exporter agent, rules in infra/kafka/jmx-exporter.yaml */
  | 'kafka-jmx';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

export type MetricGroup =
  | 'processing'
  | 'commit'
  | 'consumer'
  | 'producer'
  | 'store'
  | 'restore'
  | 'state'
  | 'runtime'
  | 'host'
  | 'broker'
  | 'broker-jvm';

/** One metric family: what `# HELP`/`# TYPE` say, plus the labels it carries beyond service/instance. */
export interface MetricSpec<L extends string = string> {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly L[];
  readonly source: MetricSource;
  readonly group: MetricGroup;
  /**
   * The family can legitimately have no series on a healthy, busy process (prom-client's
   * nodejs_active_requests while no libuv request is pending): a dashboard must not rely on it.
   */
  readonly emptyWhenIdle?: boolean;
  /**
   * The family has its series from the start but counts only under this condition
   * (exactly_once_v2, a dead letter too large to copy whole): a healthy at-least-once run
   * leaves it at 0.
   */
  readonly countsOnlyWhen?: string;
  /** Histogram bucket upper bounds (le), ascending. */
  readonly buckets?: readonly number[];
}

/** Labels every family from 'streams' and 'runtime' carries (createServiceMetrics' default labels). */
export const SERVICE_LABELS = ['service', 'instance'] as const;
