import type { KeyValueStore } from '../../state/api';
import type { ValueAndTimestamp } from '../../state/timestamped';
import type { ProcessorContext } from '../api';

/** Reads a table's current value of a key (Kafka Streams' KTableValueGetter). */
export interface KTableValueGetter<K, V> {
  get(key: K): Promise<ValueAndTimestamp<V> | null>;
}

/**
 * Makes a table's value getter inside a processor that is connected to `storeNames`
 * (Kafka Streams' KTableValueGetterSupplier): a materialized table reads its store, a
 * filtered or mapped one applies its function to its parent's getter.
 */
export interface KTableValueGetterSupplier<K, V> {
  readonly storeNames: readonly string[];
  get(context: ProcessorContext<unknown, unknown>): KTableValueGetter<K, V>;
}

export function storeValueGetter<K, V>(storeName: string): KTableValueGetterSupplier<K, V> {
  return {
    storeNames: [storeName],
    get(context) {
      const store = context.getStateStore<KeyValueStore<K, ValueAndTimestamp<V>>>(storeName);
      return { get: async (key) => (await store.get(key)) ?? null };
    },
  };
}
