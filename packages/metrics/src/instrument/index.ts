import type { StreamsEvents } from '@streamtune/streams';
import type { ServiceMetrics } from '../service-metrics';
import { commitInstruments } from './commit';
import { consumerInstruments } from './consumer';
import { processingInstruments } from './processing';
import { producerInstruments } from './producer';
import { restoreInstruments } from './restore';
import { StateInstruments } from './state';
import { storeInstruments } from './stores';
import type { Instruments } from './types';

/** Families are registered once per registry; every instrumented client adds to them. */
const instrumentsByMetrics = new WeakMap<ServiceMetrics, Instruments[]>();

/**
 * Subscribes to every event of the runtime and maintains the `streamtune_*` families
 * on the service's registry; it also drives /readyz and /healthz from the client state.
 * Call it before `start()`. Returns a function that unsubscribes.
 *
 *     instrumentStreams(metrics, streams.events);
 */
export function instrumentStreams(metrics: ServiceMetrics, events: StreamsEvents): () => void {
  let groups = instrumentsByMetrics.get(metrics);
  if (!groups) {
    const registry = metrics.registry;
    const state = new StateInstruments(registry, metrics);
    groups = [
      processingInstruments(registry),
      commitInstruments(registry),
      consumerInstruments(registry),
      producerInstruments(registry),
      storeInstruments(registry),
      restoreInstruments(registry, (active) => state.restoresChanged(active)),
      state,
    ];
    instrumentsByMetrics.set(metrics, groups);
  }
  const all = groups;
  const unsubscribes = all.flatMap((group) => group.subscribe(events));
  unsubscribes.push(
    events.on('consumer.rebalance', (e) => {
      if (e.phase === 'revoked') for (const group of all) group.forgetAssignment?.();
    }),
  );
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}
