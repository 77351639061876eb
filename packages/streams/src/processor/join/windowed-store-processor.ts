import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import type { WindowStore } from '../../state/api';
import type { StreamRecord } from '../../types/index';

/**
 * Kafka Streams' KStreamJoinWindow: passes each record on to its side's join processor,
 * then keeps it in its side's join store for the other side to find. Records with a
 * null key or value can never join, so they are not stored (the join counts the drop).
 */
export function joinWindowedProcessor<K, V>(storeName: string): ProcessorSupplier<K, V, K, V> {
  return (): Processor<K, V, K, V> => {
    let context!: ProcessorContext<K, V>;
    let store!: WindowStore<K, V>;
    return {
      init(ctx) {
        context = ctx;
        store = ctx.getStateStore<WindowStore<K, V>>(storeName);
      },
      async process(record: StreamRecord<K, V>) {
        await context.forward(record);
        if (
          record.key !== null &&
          record.key !== undefined &&
          record.value !== null &&
          record.value !== undefined
        ) {
          await store.put(record.key, record.value, record.timestamp);
        }
      },
    };
  };
}
