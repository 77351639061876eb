import type { StreamRecord } from '../../types/index';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import { isPresent, type Change, type SendOldValues } from './change';
import type { KTableValueGetterSupplier } from './value-getter';

function tableProcessor<K, VIn, KOut, VOut>(
  handle: (
    record: StreamRecord<K, Change<VIn>>,
    context: ProcessorContext<KOut, VOut>,
  ) => Promise<void> | void,
): ProcessorSupplier<K, Change<VIn>, KOut, VOut> {
  return (): Processor<K, Change<VIn>, KOut, VOut> => {
    let context!: ProcessorContext<KOut, VOut>;
    return {
      init(ctx) {
        context = ctx;
      },
      process: (record) => handle(record, context),
    };
  };
}

/**
 * Kafka Streams' KTableFilter: a value that fails the predicate becomes a deletion (null).
 * With old values on, an update that is null on both sides is not forwarded.
 */
export function tableFilterProcessor<K, V>(
  predicate: (key: K, value: V) => boolean,
  negate: boolean,
  flags: SendOldValues,
): ProcessorSupplier<K, Change<V>, K, Change<V>> {
  const compute = (key: K, value: V | null): V | null =>
    isPresent(value) && predicate(key, value) !== negate ? value : null;
  return tableProcessor(async (record, context: ProcessorContext<K, Change<V>>) => {
    const newValue = compute(record.key, record.value.newValue);
    const oldValue = flags.sendOldValues ? compute(record.key, record.value.oldValue) : null;
    if (flags.sendOldValues && newValue === null && oldValue === null) return;
    await context.forward({ ...record, value: { newValue, oldValue } });
  });
}

export function filterValueGetter<K, V>(
  parent: KTableValueGetterSupplier<K, V>,
  predicate: (key: K, value: V) => boolean,
  negate: boolean,
): KTableValueGetterSupplier<K, V> {
  return {
    storeNames: parent.storeNames,
    get(context) {
      const getter = parent.get(context);
      return {
        async get(key) {
          const found = await getter.get(key);
          return found && predicate(key, found.value) !== negate ? found : null;
        },
      };
    },
  };
}

/** Kafka Streams' KTableMapValues: maps new (and, when asked, old) values; deletions stay deletions. */
export function tableMapValuesProcessor<K, V, VR>(
  mapper: (value: V, key: K) => VR,
  flags: SendOldValues,
): ProcessorSupplier<K, Change<V>, K, Change<VR>> {
  const compute = (key: K, value: V | null): VR | null => (isPresent(value) ? mapper(value, key) : null);
  return tableProcessor(async (record, context: ProcessorContext<K, Change<VR>>) => {
    await context.forward({
      ...record,
      value: {
        newValue: compute(record.key, record.value.newValue),
        oldValue: flags.sendOldValues ? compute(record.key, record.value.oldValue) : null,
      },
    });
  });
}

export function mapValuesValueGetter<K, V, VR>(
  parent: KTableValueGetterSupplier<K, V>,
  mapper: (value: V, key: K) => VR,
): KTableValueGetterSupplier<K, VR> {
  return {
    storeNames: parent.storeNames,
    get(context) {
      const getter = parent.get(context);
      return {
        async get(key) {
          const found = await getter.get(key);
          return found ? { value: mapper(found.value, key), timestamp: found.timestamp } : null;
        },
      };
    },
  };
}

/** KTable#toStream: the new values as a stream (null: a tombstone). */
export function tableToStreamProcessor<K, V>(): ProcessorSupplier<K, Change<V>, K, V | null> {
  return tableProcessor(async (record, context: ProcessorContext<K, V | null>) => {
    await context.forward({ ...record, value: record.value.newValue });
  });
}
