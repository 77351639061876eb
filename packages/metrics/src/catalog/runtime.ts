import type { MetricSpec, MetricType } from './types';

function runtime<const L extends string>(
  type: MetricType,
  name: string,
  help: string,
  labels: readonly L[] = [],
): MetricSpec<L> {
  return { name, type, help, labels, source: 'runtime', group: 'runtime' };
}

/** Families createServiceMetrics() adds beside prom-client's defaults. */
export const runtimeMetrics = {
  eventLoopUtilization: runtime(
    'gauge',
    'streamtune_event_loop_utilization',
    'Fraction of time the event loop was busy (0..1) since the previous scrape.',
  ),
  eventLoopActive: runtime(
    'counter',
    'streamtune_event_loop_active_seconds_total',
    'Time the event loop spent busy; rate() of it is the utilization over any window.',
  ),
  nativeMemory: runtime(
    'gauge',
    'streamtune_native_memory_bytes',
    'Estimated native (off-heap) memory: resident set size minus V8 heap total minus external memory; LevelDB memory shows up here.',
  ),
  ready: runtime('gauge', 'streamtune_ready', '1 when /readyz answers 200, else 0.'),
} as const;

/**
 * prom-client's collectDefaultMetrics() families on Linux, names and labels as it
 * exposes them (kept unprefixed, as every Node.js dashboard expects them), less the
 * nodejs_active_*_total gauges that createServiceMetrics drops.
 * The help text is prom-client's.
 */
export const defaultRuntimeMetrics: readonly MetricSpec[] = [
  runtime('counter', 'process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.'),
  runtime('counter', 'process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.'),
  runtime('counter', 'process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.'),
  runtime('gauge', 'process_start_time_seconds', 'Start time of the process since unix epoch in seconds.'),
  runtime('gauge', 'process_resident_memory_bytes', 'Resident memory size in bytes.'),
  runtime('gauge', 'process_virtual_memory_bytes', 'Virtual memory size in bytes.'),
  runtime('gauge', 'process_heap_bytes', 'Process heap size in bytes.'),
  runtime('gauge', 'process_open_fds', 'Number of open file descriptors.'),
  runtime('gauge', 'process_max_fds', 'Maximum number of open file descriptors.'),
  runtime('gauge', 'nodejs_eventloop_lag_seconds', 'Lag of event loop in seconds.'),
  runtime('gauge', 'nodejs_eventloop_lag_min_seconds', 'The minimum recorded event loop delay.'),
  runtime('gauge', 'nodejs_eventloop_lag_max_seconds', 'The maximum recorded event loop delay.'),
  runtime('gauge', 'nodejs_eventloop_lag_mean_seconds', 'The mean of the recorded event loop delays.'),
  runtime(
    'gauge',
    'nodejs_eventloop_lag_stddev_seconds',
    'The standard deviation of the recorded event loop delays.',
  ),
  runtime(
    'gauge',
    'nodejs_eventloop_lag_p50_seconds',
    'The 50th percentile of the recorded event loop delays.',
  ),
  runtime(
    'gauge',
    'nodejs_eventloop_lag_p90_seconds',
    'The 90th percentile of the recorded event loop delays.',
  ),
  runtime(
    'gauge',
    'nodejs_eventloop_lag_p99_seconds',
    'The 99th percentile of the recorded event loop delays.',
  ),
  runtime(
    'gauge',
    'nodejs_active_resources',
    'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
    ['type'],
  ),
  runtime(
    'gauge',
    'nodejs_active_handles',
    'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
    ['type'],
  ),
  {
    ...runtime(
      'gauge',
      'nodejs_active_requests',
      'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
      ['type'],
    ),
    emptyWhenIdle: true,
  },
  runtime('gauge', 'nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.'),
  runtime('gauge', 'nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.'),
  runtime('gauge', 'nodejs_external_memory_bytes', 'Node.js external memory size in bytes.'),
  runtime(
    'gauge',
    'nodejs_heap_space_size_total_bytes',
    'Process heap space size total from Node.js in bytes.',
    ['space'],
  ),
  runtime(
    'gauge',
    'nodejs_heap_space_size_used_bytes',
    'Process heap space size used from Node.js in bytes.',
    ['space'],
  ),
  runtime(
    'gauge',
    'nodejs_heap_space_size_available_bytes',
    'Process heap space size available from Node.js in bytes.',
    ['space'],
  ),
  runtime('gauge', 'nodejs_version_info', 'Node.js version info.', ['version', 'major', 'minor', 'patch']),
  runtime(
    'histogram',
    'nodejs_gc_duration_seconds',
    'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    ['kind'],
  ),
];
