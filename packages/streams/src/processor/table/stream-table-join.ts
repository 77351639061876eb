import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import { recordDropped } from '../aggregate/dropped';
import { isPresent } from './change';
import type { KTableValueGetter, KTableValueGetterSupplier } from './value-getter';

/**
 * Kafka Streams' KStreamKTableJoin: a stream record joins the table's current value of
 * its key; the table side never triggers a result. Inner joins drop records without a
 * table value; records with a null value, or (inner) a null key, are dropped and counted;
 * a left join passes a null-key record on with a null table value (KIP-962).
 */
export function streamTableJoinProcessor<K, V, VT, VOut>(
  table: KTableValueGetterSupplier<K, VT>,
  joiner: (value: V, tableValue: VT | null, key: K) => VOut,
  leftJoin: boolean,
): ProcessorSupplier<K, V, K, VOut> {
  return (): Processor<K, V, K, VOut> => {
    let context!: ProcessorContext<K, VOut>;
    let getter!: KTableValueGetter<K, VT>;
    return {
      init(ctx) {
        context = ctx;
        getter = table.get(ctx);
      },
      async process(record) {
        const keyMissing = !isPresent(record.key);
        if (!isPresent(record.value) || (keyMissing && !leftJoin)) {
          recordDropped(context, 'null-key-or-value');
          return;
        }
        const found = keyMissing ? null : await getter.get(record.key);
        if (!found && !leftJoin) return;
        await context.forward({
          ...record,
          value: joiner(record.value, found ? found.value : null, record.key),
        });
      },
    };
  };
}
