import type { StreamsEvents, StreamsState } from '@streamtune/streams';
import type { Gauge } from 'prom-client';
import type { ServiceMetrics } from '../service-metrics';
import { commitInstruments } from './commit';
import { consumerInstruments } from './consumer';
import { processingInstruments } from './processing';
import { producerInstruments } from './producer';
import { restoreInstruments } from './restore';
import { StateInstruments } from './state';
import { storeInstruments } from './stores';
import type { Instruments } from './types';
import { streamsMetrics as m } from '../catalog/index';
import { gauge } from './families';

interface Instrumented {
  groups: Instruments[];
  state: StateInstruments;
  guarantee: Gauge<'guarantee'>;
}

/** Families are registered once per registry; every instrumented client adds to them. */
const instrumentedMetrics = new WeakMap<ServiceMetrics, Instrumented>();

function instrumentsFor(metrics: ServiceMetrics): Instrumented {
  let found = instrumentedMetrics.get(metrics);
  if (!found) {
    const registry = metrics.registry;
    const state = new StateInstruments(registry, metrics);
    const groups = [
      processingInstruments(registry),
      commitInstruments(registry),
      consumerInstruments(registry),
      producerInstruments(registry),
      storeInstruments(registry),
      restoreInstruments(registry, (active) => state.restoresChanged(active)),
      state,
    ];
    found = { groups, state, guarantee: gauge(registry, m.processingGuarantee) };
    instrumentedMetrics.set(metrics, found);
  }
  return found;
}

/** A client's events, or the client itself (anything with `events` and `state()`, like KafkaStreams). */
export type StreamsSource =
  | StreamsEvents
  | {
      readonly events: StreamsEvents;
      state(): StreamsState;
      readonly config?: { readonly processingGuarantee: 'at_least_once' | 'exactly_once_v2' };
    };

/**
 * Subscribes to every event of the runtime and maintains the `streamtune_*` families
 * on the service's registry; it also drives /readyz and /healthz from the client state.
 * Given the client rather than its events, it also picks up the client's current state,
 * so it may be called after `start()`. Returns a function that unsubscribes.
 *
 *     instrumentStreams(metrics, streams);
 */
export function instrumentStreams(metrics: ServiceMetrics, source: StreamsSource): () => void {
  const { groups, state, guarantee } = instrumentsFor(metrics);
  const events = 'events' in source ? source.events : source;
  if ('state' in source) state.sync(source.state());
  if ('config' in source && source.config) guarantee.set({ guarantee: source.config.processingGuarantee }, 1);
  const unsubscribes = groups.flatMap((group) => group.subscribe(events));
  unsubscribes.push(
    events.on('consumer.rebalance', (e) => {
      if (e.phase === 'revoked') for (const group of groups) group.forgetAssignment?.();
    }),
  );
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}
