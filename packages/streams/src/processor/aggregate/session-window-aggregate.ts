import type { SessionWindows } from '../../dsl/windows/session-windows';
import type { SessionKey, SessionStore } from '../../state/session-store';
import type { Headers, StreamRecord, Windowed } from '../../types/index';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import type { Change, SendOldValues } from '../table/change';
import { recordDropped } from './dropped';

const NO_HEADERS: Headers = {};

/**
 * Kafka Streams' KStreamSessionWindowAggregate (emit on every update): a record at t
 * finds its key's sessions within [t - gap, t + gap], merges them (sessionMerger) into
 * one session spanning all of them and t, and folds the record in. Merged-away sessions
 * are forwarded as deletions. A merged session that ends before stream time - gap -
 * grace is late: the record is dropped and counted. Session results are forwarded with
 * the session's end as timestamp, as Kafka Streams does.
 */
export function sessionWindowAggregateProcessor<K, V, VA>(
  storeName: string,
  windows: SessionWindows,
  initializer: () => VA,
  aggregator: (key: K, value: V, aggregate: VA) => VA,
  merger: (key: K, aggregate1: VA, aggregate2: VA) => VA,
  flags: SendOldValues,
): ProcessorSupplier<K, V, Windowed<K>, Change<VA>> {
  const gap = windows.inactivityGap();
  return (): Processor<K, V, Windowed<K>, Change<VA>> => {
    let context!: ProcessorContext<Windowed<K>, Change<VA>>;
    let store!: SessionStore<K, VA>;
    let cached = false;
    let observedStreamTime = -1;

    const windowed = (s: SessionKey<K>): Windowed<K> => ({
      key: s.key,
      window: { start: s.start, end: s.end },
    });

    async function maybeForward(
      session: SessionKey<K>,
      oldAgg: VA | null,
      newAgg: VA | null,
      headers: Headers,
    ) {
      if (cached) return;
      await context.forward({
        key: windowed(session),
        value: { newValue: newAgg, oldValue: flags.sendOldValues ? oldAgg : null },
        timestamp: session.end,
        headers,
      });
    }

    return {
      init(ctx) {
        context = ctx;
        store = ctx.getStateStore(storeName);
        cached = store.setFlushListener((session, newValue, oldValue) =>
          context.forward({
            key: windowed(session),
            value: { newValue, oldValue: flags.sendOldValues ? oldValue : null },
            timestamp: session.end,
            headers: NO_HEADERS,
          }),
        );
      },
      async process(record: StreamRecord<K, V>) {
        if (record.key === null || record.key === undefined) {
          recordDropped(context, 'null-key-or-value');
          return;
        }
        const t = record.timestamp;
        observedStreamTime = Math.max(observedStreamTime, t);
        const closeTime = observedStreamTime - windows.gracePeriodMs() - gap;
        const merged = await store.findSessions(record.key, t - gap, t + gap);
        let agg = initializer();
        let start = t;
        let end = t;
        for (const session of merged) {
          agg = merger(record.key, agg, session.value);
          start = Math.min(start, session.key.start);
          end = Math.max(end, session.key.end);
        }
        if (end < closeTime) {
          recordDropped(context, 'late');
          return;
        }
        if (start !== t || end !== t) {
          for (const session of merged) {
            await store.remove(session.key);
            await maybeForward(session.key, session.value, null, NO_HEADERS);
          }
        }
        agg = aggregator(record.key, record.value, agg);
        const session: SessionKey<K> = { key: record.key, start, end };
        // a null aggregate (a reduce's first value is null) removes the session, as Kafka
        // Streams' session store does on put(key, null); the update is a deletion
        if (agg === null || agg === undefined) await store.remove(session);
        else await store.put(session, agg);
        await maybeForward(session, null, agg ?? null, NO_HEADERS);
      },
    };
  };
}
