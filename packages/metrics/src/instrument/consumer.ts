import type { Registry } from 'prom-client';
import { streamsMetrics as m } from '../catalog/index';
import { counter, gauge, histogram, seconds } from './families';
import type { Instruments } from './types';

export function consumerInstruments(registry: Registry): Instruments {
  const fetches = counter(registry, m.consumerFetches);
  const recordsPerFetch = histogram(registry, m.consumerRecordsPerFetch);
  const recordsFetched = counter(registry, m.consumerRecordsFetched);
  const bytesFetched = counter(registry, m.consumerBytesFetched);
  const lag = gauge(registry, m.consumerLag);
  const rebalances = counter(registry, m.rebalances);
  const rebalanceDuration = histogram(registry, m.rebalanceDuration);
  const assigned = gauge(registry, m.assignedPartitions);
  for (const phase of ['revoked', 'assigned'] as const) rebalances.series(phase);
  const perFetch = recordsPerFetch.series();
  assigned.set(0);
  let assignedCount = 0;

  return {
    subscribe: (events) => [
      events.on('consumer.fetch', (e) => {
        fetches.series(e.topic).value++;
        recordsPerFetch.observe(perFetch, e.records);
        recordsFetched.series(e.topic).value += e.records;
        bytesFetched.series(e.topic).value += e.bytes;
      }),
      events.on('consumer.lag', (e) =>
        lag.set({ topic: e.topic, partition: String(e.partition) }, Math.max(0, e.lag)),
      ),
      events.on('consumer.rebalance', (e) => {
        rebalances.series(e.phase).value++;
        rebalanceDuration.observe(rebalanceDuration.series(e.phase), seconds(e.durationMs));
        assignedCount = e.phase === 'assigned' ? assignedCount + e.partitions : assignedCount - e.partitions;
        assignedCount = Math.max(0, assignedCount);
        assigned.set(assignedCount);
      }),
    ],
    forgetAssignment: () => lag.reset(),
  };
}
