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
  const committed = counter(registry, m.transactionsCommitted);
  const aborted = counter(registry, m.transactionsAborted);
  const transactionLatency = histogram(registry, m.transactionLatency);
  const restarts = counter(registry, m.threadRestarts);
  const committedTotal = committed.series();
  const abortedTotal = aborted.series();
  const restartsTotal = restarts.series();
  const transactionTotal = transactionLatency.series();
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
      events.on('transaction.committed', (e) => {
        committedTotal.value++;
        transactionLatency.observe(transactionTotal, seconds(e.durationMs));
      }),
      events.on('transaction.aborted', () => void abortedTotal.value++),
      events.on('thread.restarted', () => void restartsTotal.value++),
    ],
  };
}
