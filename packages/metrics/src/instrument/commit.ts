import type { Registry } from 'prom-client';
import { streamsMetrics as m } from '../catalog/index';
import { counter, gauge, histogram, seconds } from './families';
import type { Instruments } from './types';

const REASONS = ['interval', 'revocation', 'shutdown', 'requested'] as const;

export function commitInstruments(registry: Registry): Instruments {
  const commits = counter(registry, m.commits);
  const latency = histogram(registry, m.commitLatency);
  const phases = histogram(registry, m.commitPhaseLatency);
  const tasks = gauge(registry, m.commitTasks);
  // Series exist from the start, so rate() sees the first commit as an increase.
  for (const reason of REASONS) commits.series(reason);
  const total = latency.series();
  const producerFlush = phases.series('producer_flush');
  const storeFlush = phases.series('store_flush');
  const offsetCommit = phases.series('offset_commit');

  return {
    subscribe: (events) => [
      events.on('commit', (e) => {
        commits.series(e.reason).value++;
        latency.observe(total, seconds(e.durationMs));
        phases.observe(producerFlush, seconds(e.producerFlushMs));
        phases.observe(storeFlush, seconds(e.storeFlushMs));
        phases.observe(offsetCommit, seconds(e.offsetCommitMs));
        tasks.set(e.tasks);
      }),
    ],
  };
}
