import type { KeyValueStore } from '../../state/api';
import type { ValueAndTimestamp } from '../../state/timestamped';
import type { StreamRecord } from '../../types/index';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import { recordDropped } from '../aggregate/dropped';
import { TupleForwarder } from '../aggregate/tuple-forwarder';
import type { TupleForwarderListenerSetter } from '../aggregate/stream-aggregate';
import type { Change, SendOldValues } from './change';

/** A timestamped key-value store whose cache can forward (MeteredKeyValueStore). */
export type TableStore<K, V> = KeyValueStore<K, ValueAndTimestamp<V>> & {
  setFlushListener: TupleForwarderListenerSetter<K, V>;
};

/** Where a source table keeps its state: set once a store is needed (a join reads it, or it is named). */
export interface TableSourceState extends SendOldValues {
  storeName: string | null;
}

/**
 * Kafka Streams' KTableSource (builder.table, KStream#toTable): each record is the key's
 * new value (null deletes). Materialized, it is kept in a timestamped store whose cache
 * forwards updates; otherwise it is forwarded at once, without an old value. Null keys
 * are dropped and counted.
 */
export function tableSourceProcessor<K, V>(state: TableSourceState): ProcessorSupplier<K, V, K, Change<V>> {
  return (): Processor<K, V, K, Change<V>> => {
    let context!: ProcessorContext<K, Change<V>>;
    let store: TableStore<K, V> | null = null;
    let forwarder: TupleForwarder<K, K, V> | null = null;
    return {
      init(ctx) {
        context = ctx;
        if (state.storeName) {
          const s = ctx.getStateStore<TableStore<K, V>>(state.storeName);
          store = s;
          forwarder = new TupleForwarder(
            ctx,
            (l) => s.setFlushListener(l),
            (k: K) => k,
            state.sendOldValues,
          );
        }
      },
      async process(record: StreamRecord<K, V>) {
        if (record.key === null || record.key === undefined) {
          recordDropped(context, 'null-key-or-value');
          return;
        }
        if (!store || !forwarder) {
          await context.forward({ ...record, value: { newValue: record.value ?? null, oldValue: null } });
          return;
        }
        const old = (await store.get(record.key)) ?? null;
        const value = record.value ?? null;
        if (value === null) await store.delete(record.key);
        else await store.put(record.key, { value, timestamp: record.timestamp });
        await forwarder.maybeForward(
          record.key,
          value,
          old ? old.value : null,
          record.timestamp,
          record.headers,
        );
      },
    };
  };
}
