import { describe, expect, it } from 'vitest';
import { metricNamesInPromQL } from '../src/index';

describe('metricNamesInPromQL', () => {
  it.each([
    [
      'histogram_quantile(0.99, sum by (le, processor) (rate(streamtune_record_e2e_latency_seconds_bucket{service="$service"}[$__rate_interval])))',
      ['streamtune_record_e2e_latency_seconds_bucket'],
    ],
    [
      'process_resident_memory_bytes{instance=~"$instance"} - on(instance) group_left nodejs_heap_size_total_bytes',
      ['process_resident_memory_bytes', 'nodejs_heap_size_total_bytes'],
    ],
    [
      'sum(rate(node_cpu_seconds_total{mode!="idle"}[1m])) / count(node_cpu_seconds_total{mode="idle"})',
      ['node_cpu_seconds_total'],
    ],
    ['rate(x_total[5m] offset 1h) > 1e3 and y', ['x_total', 'y']],
    ['streamtune:record_e2e_latency_seconds:p99_1m', ['streamtune:record_e2e_latency_seconds:p99_1m']],
    [
      'topk(5, sum without (partition) (streamtune_consumer_lag_records))',
      ['streamtune_consumer_lag_records'],
    ],
    ['vector(1)', []],
  ])('%s', (expr, names) => {
    expect(metricNamesInPromQL(expr).sort()).toEqual([...names].sort());
  });
});
