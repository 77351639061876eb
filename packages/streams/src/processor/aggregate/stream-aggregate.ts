import type { KeyValueStore } from '../../state/api';
import type { ValueAndTimestamp } from '../../state/timestamped';
import type { StreamRecord } from '../../types/index';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import type { Change, SendOldValues } from '../table/change';
import { recordDropped } from './dropped';
import { TupleForwarder } from './tuple-forwarder';

/**
 * How an aggregation folds a record into its key's aggregate: `previous` is null for the
 * key's first record (Kafka Streams: aggregate starts from the initializer, reduce from
 * the record's value).
 */
export interface Combine<K, V, VA> {
  (key: K, value: V, previous: VA | null): VA;
  /**
   * The aggregate before the first record: the initializer's value, null for reduce.
   * KStreamAggregate and KStreamWindowAggregate forward it as the first update's old
   * value, so a table filter downstream sees an old value that may pass.
   */
  initial(): VA | null;
}

export function aggregateCombine<K, V, VA>(
  initializer: () => VA,
  aggregator: (key: K, value: V, aggregate: VA) => VA,
): Combine<K, V, VA> {
  return Object.assign(
    (key: K, value: V, previous: VA | null) => aggregator(key, value, previous ?? initializer()),
    {
      initial: initializer,
    },
  );
}

export function reduceCombine<K, V>(reducer: (aggregate: V, value: V) => V): Combine<K, V, V> {
  return Object.assign(
    (_key: K, value: V, previous: V | null) => (previous === null ? value : reducer(previous, value)),
    { initial: () => null },
  );
}

/**
 * Kafka Streams' KStreamAggregate / KStreamReduce: per key, the aggregate in a timestamped
 * key-value store (timestamp: the largest of the key's records), forwarded as a KTable
 * update. Records with a null key or value are dropped and counted.
 */
export function streamAggregateProcessor<K, V, VA>(
  storeName: string,
  combine: Combine<K, V, VA>,
  flags: SendOldValues,
): ProcessorSupplier<K, V, K, Change<VA>> {
  return (): Processor<K, V, K, Change<VA>> => {
    let context!: ProcessorContext<K, Change<VA>>;
    let store!: AggregateKeyValueStore<K, VA>;
    let forwarder!: TupleForwarder<K, K, VA>;
    return {
      init(ctx) {
        context = ctx;
        ({ store, forwarder } = openAggregateStore<K, VA>(ctx, storeName, flags));
      },
      async process(record: StreamRecord<K, V>) {
        if (
          record.key === null ||
          record.key === undefined ||
          record.value === null ||
          record.value === undefined
        ) {
          recordDropped(context, 'null-key-or-value');
          return;
        }
        const old = (await store.get(record.key)) ?? null;
        const oldAgg = old ? old.value : combine.initial();
        const newAgg = combine(record.key, record.value, oldAgg);
        const timestamp = old ? Math.max(record.timestamp, old.timestamp) : record.timestamp;
        await store.put(record.key, { value: newAgg, timestamp });
        await forwarder.maybeForward(record.key, newAgg, oldAgg, timestamp, record.headers);
      },
    };
  };
}

export type TupleForwarderListenerSetter<K, V> = (
  listener: (
    key: K,
    newValue: ValueAndTimestamp<V> | null,
    oldValue: ValueAndTimestamp<V> | null,
  ) => Promise<void>,
) => boolean;

/** A key-value store of aggregates that can forward through its record cache. */
export type AggregateKeyValueStore<K, VA> = KeyValueStore<K, ValueAndTimestamp<VA>> & {
  setFlushListener: TupleForwarderListenerSetter<K, VA>;
};

/** An aggregation's store and the forwarder of its updates (through the cache when it is on). */
export function openAggregateStore<K, VA>(
  ctx: ProcessorContext<K, Change<VA>>,
  storeName: string,
  flags: SendOldValues,
): { store: AggregateKeyValueStore<K, VA>; forwarder: TupleForwarder<K, K, VA> } {
  const store = ctx.getStateStore<AggregateKeyValueStore<K, VA>>(storeName);
  const forwarder = new TupleForwarder(
    ctx,
    (l) => store.setFlushListener(l),
    (k: K) => k,
    flags.sendOldValues,
  );
  return { store, forwarder };
}
