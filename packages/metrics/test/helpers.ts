import { StreamsEvents, type StreamsEventMap, type StreamsEventName } from '@streamtune/streams';
import { createServiceMetrics, instrumentStreams, type ServiceMetrics } from '../src/index';

export async function instrumented(): Promise<{ metrics: ServiceMetrics; events: StreamsEvents }> {
  const metrics = await createServiceMetrics({
    service: 'unit',
    instance: 'i-1',
    port: 0,
    host: '127.0.0.1',
  });
  const events = new StreamsEvents();
  instrumentStreams(metrics, events);
  return { metrics, events };
}

/** The value of one series; `suffix` picks _count/_sum/_bucket of a histogram. */
export async function value(
  metrics: ServiceMetrics,
  name: string,
  labels: Record<string, string> = {},
  suffix = '',
): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const found = (values as Array<{ value: number; labels: object; metricName?: string }>).find(
    (v) =>
      (suffix === '' ? !v.metricName || v.metricName === name : v.metricName === name + suffix) &&
      Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want),
  );
  return found?.value;
}

export async function seriesCount(metrics: ServiceMetrics, name: string): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  return (await metric.get()).values.length;
}

const task = { subtopology: 0, partition: 1 };

/** One event of every kind the runtime emits; the mapped type makes a new event kind a compile error here. */
export const sampleEvents: { [E in StreamsEventName]: StreamsEventMap[E] } = {
  'record.processed': { taskId: task, topic: 'orders', latencyMs: 0.2 },
  'record.e2e': { taskId: task, processor: 'join-orders', e2eLatencyMs: 35 },
  'record.sent': { taskId: task, processor: 'sink-out', topic: 'enriched', e2eLatencyMs: 40 },
  'record.dropped': { taskId: task, processor: 'join-orders', reason: 'late', count: 2 },
  'record.dead-lettered': {
    taskId: task,
    topic: 'orders',
    partition: 1,
    offset: '42',
    reason: 'deserialization',
    error: 'Unexpected token',
  },
  'task.stream-time': { taskId: task, streamTimeMs: Date.now() - 5_000 },
  commit: {
    durationMs: 30,
    producerFlushMs: 20,
    storeFlushMs: 6,
    offsetCommitMs: 4,
    tasks: 3,
    reason: 'interval',
  },
  'consumer.fetch': { topic: 'orders', partition: 1, records: 120, bytes: 48_000 },
  'consumer.lag': { topic: 'orders', partition: 1, lag: 900 },
  'consumer.rebalance': { phase: 'assigned', durationMs: 1500, partitions: 4 },
  'producer.request': {
    topic: 'enriched',
    partition: 0,
    records: 50,
    bytes: 20_000,
    latencyMs: 3,
    queueTimeMs: 5,
  },
  'producer.buffer': { bufferedBytes: 65_536, inFlightRequests: 2 },
  'store.operation': { taskId: task, store: 'orders-window', op: 'put', latencyMs: 0.05 },
  'store.stats': {
    taskId: task,
    store: 'orders-window',
    layout: 'segmented',
    instances: 3,
    segments: 3,
    diskBytes: 1_000_000,
    approximateMemoryBytes: 4_000_000,
  },
  'store.footprint': {
    layout: 'segmented',
    bytes: 50_000_000,
    instances: 12,
    cacheBytes: 1_000_000,
    cacheMaxBytes: 67_108_864,
  },
  'restore.start': {
    taskId: task,
    store: 'orders-window',
    changelog: 'app-orders-window-changelog',
    partition: 1,
    toRestore: 1000,
  },
  'restore.batch': { taskId: task, store: 'orders-window', restored: 400, remaining: 600 },
  'restore.end': { taskId: task, store: 'orders-window', restored: 1000, durationMs: 250 },
  'state.change': { from: 'REBALANCING', to: 'RUNNING' },
  'transaction.committed': { taskId: task, durationMs: 12 },
  'transaction.aborted': { taskId: task, reason: 'producer fenced' },
  'thread.restarted': { reason: 'task 0_1: transaction aborted: producer fenced' },
};

export function emitAll(events: StreamsEvents): void {
  for (const [name, event] of Object.entries(sampleEvents)) {
    events.emit(name as StreamsEventName, event as never);
  }
}
