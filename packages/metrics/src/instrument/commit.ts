import type { Registry } from 'prom-client';
import { streamsMetrics as m } from '../catalog/index';
import { counter, gauge, histogram, seconds } from './families';
import type { Instruments } from './types';

const REASONS = ['interval', 'revocation', 'shutdown', 'requested'] as const;
const PHASES = ['producer_flush', 'store_flush', 'offset_commit'] as const;

export function commitInstruments(registry: Registry): Instruments {
  const commits = counter(registry, m.commits);
  const latency = histogram(registry, m.commitLatency);
  const phases = histogram(registry, m.commitPhaseLatency);
  const tasks = gauge(registry, m.commitTasks);
  // Series exist from the start, so rate() sees the first commit as an increase.
  for (const reason of REASONS) commits.inc({ reason }, 0);
  for (const phase of PHASES) phases.zero({ phase });

  return {
    subscribe: (events) => [
      events.on('commit', (e) => {
        commits.inc({ reason: e.reason });
        latency.observe(seconds(e.durationMs));
        phases.observe({ phase: 'producer_flush' }, seconds(e.producerFlushMs));
        phases.observe({ phase: 'store_flush' }, seconds(e.storeFlushMs));
        phases.observe({ phase: 'offset_commit' }, seconds(e.offsetCommitMs));
        tasks.set(e.tasks);
      }),
    ],
  };
}
