import type { Serde } from '../../serdes/serde';
import type { StreamRecord } from '../../types/index';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import { isPresent, type Change, type SendOldValues } from '../table/change';
import { resolveCodec, type ChangeCodec } from '../table/table-repartition-map';
import { recordDropped } from './dropped';
import { openAggregateStore, type AggregateKeyValueStore } from './stream-aggregate';
import type { TupleForwarder } from './tuple-forwarder';

/**
 * How a KGroupedTable folds one update into its group's aggregate: `remove` takes an old
 * value out, `add` puts a new one in; `start` is the aggregate before the first addition
 * (aggregate: the initializer's value; reduce: null, the first value is the aggregate).
 */
export interface TableCombine<K, V, VA> {
  add(key: K, value: V, aggregate: VA | null): VA;
  remove(key: K, value: V, aggregate: VA): VA;
  /** KTableReduce: the stored timestamp counts for an addition only when it added to an aggregate. */
  readonly reducing?: boolean;
}

export function tableAggregateCombine<K, V, VA>(
  initializer: () => VA,
  adder: (key: K, value: V, aggregate: VA) => VA,
  subtractor: (key: K, value: V, aggregate: VA) => VA,
): TableCombine<K, V, VA> {
  return {
    add: (key, value, aggregate) => adder(key, value, aggregate ?? initializer()),
    remove: subtractor,
  };
}

export function tableReduceCombine<K, V>(
  adder: (aggregate: V, value: V) => V,
  subtractor: (aggregate: V, value: V) => V,
): TableCombine<K, V, V> {
  return {
    add: (_key, value, aggregate) => (aggregate === null ? value : adder(aggregate, value)),
    remove: (_key, value, aggregate) => subtractor(aggregate, value),
    reducing: true,
  };
}

/**
 * Kafka Streams' KTableAggregate / KTableReduce, behind a KGroupedTable's repartition
 * topic: each record is an encoded Change of one group; the old value is subtracted (if
 * the group has an aggregate), then the new value added. The stored timestamp is the
 * largest of the group's updates. A null aggregate deletes the group. The old value
 * forwarded is the stored aggregate (null for a group's first update, unlike a stream
 * aggregation, which forwards the initializer's value).
 */
export function tableAggregateProcessor<K, V, VA>(
  storeName: string,
  combine: TableCombine<K, V, VA>,
  valueSerde: Serde<V> | undefined,
  flags: SendOldValues,
): ProcessorSupplier<K, Buffer, K, Change<VA>> {
  return (): Processor<K, Buffer, K, Change<VA>> => {
    let context!: ProcessorContext<K, Change<VA>>;
    let codec!: ChangeCodec<V>;
    let store!: AggregateKeyValueStore<K, VA>;
    let forwarder!: TupleForwarder<K, K, VA>;
    return {
      init(ctx) {
        context = ctx;
        codec = resolveCodec(ctx as ProcessorContext<unknown, unknown>, valueSerde);
        ({ store, forwarder } = openAggregateStore<K, VA>(ctx, storeName, flags));
      },
      async process(record: StreamRecord<K, Buffer>) {
        // the repartition map skips null keys; a record written by something else may not
        if (!isPresent(record.key) || !isPresent(record.value)) {
          recordDropped(context, 'null-key-or-value');
          return;
        }
        const change = codec.decode(record.value);
        const old = (await store.get(record.key)) ?? null;
        const oldAgg = old ? old.value : null;
        let agg: VA | null = oldAgg;
        let timestamp = record.timestamp;
        if (isPresent(change.oldValue) && isPresent(oldAgg)) {
          agg = combine.remove(record.key, change.oldValue, oldAgg);
          timestamp = Math.max(record.timestamp, old!.timestamp);
        }
        if (isPresent(change.newValue)) {
          const hadAggregate = isPresent(agg);
          agg = combine.add(record.key, change.newValue, agg);
          // KTableAggregate takes the stored timestamp into account whenever there was one;
          // KTableReduce only when it added to an existing aggregate
          if (old && (combine.reducing !== true || hadAggregate))
            timestamp = Math.max(record.timestamp, old.timestamp);
        }
        if (isPresent(agg)) await store.put(record.key, { value: agg, timestamp });
        else await store.delete(record.key);
        await forwarder.maybeForward(record.key, agg ?? null, oldAgg, timestamp, record.headers);
      },
    };
  };
}
