import { streamTableJoinProcessor } from '../processor/table/stream-table-join';
import { tableSourceProcessor, type TableSourceState } from '../processor/table/table-source';
import { storeValueGetter } from '../processor/table/value-getter';
import type { Serde } from '../serdes/serde';
import { Stores } from '../state/stores';
import { repartitionForKey } from './group-repartition';
import { KGroupedStream } from './kgrouped-stream';
import type { KStream } from './kstream';
import { KTable } from './ktable';
import type { StreamsBuilder } from './streams-builder';
import type { Grouped, Materialized } from './table-options';

/** KStream#groupByKey: repartitions first if the key may have changed upstream. */
export function groupByKey<K, V>(stream: KStream<K, V>, grouped: Grouped<K, V> = {}): KGroupedStream<K, V> {
  return new KGroupedStream(stream, grouped, stream.keyChanged);
}

/** KStream#groupBy: selects a new key (KSTREAM-KEY-SELECT-) and so always repartitions. */
export function groupBy<K, V, KR>(
  stream: KStream<K, V>,
  selector: (key: K, value: V) => KR,
  grouped: Grouped<KR, V> = {},
): KGroupedStream<KR, V> {
  const selected = stream.selectKey(selector);
  return new KGroupedStream(selected, grouped, true);
}

/**
 * A source table's node (builder.table, KStream#toTable): the store name is taken at once
 * (Kafka Streams' numbering) but the store is added only when the table is materialized,
 * by name or because a join or old values need it.
 */
export function sourceTable<K, V>(
  builder: StreamsBuilder,
  processorName: string,
  parent: string,
  generatedStoreName: string,
  keySerde: Serde<K> | undefined,
  valueSerde: Serde<V> | undefined,
  materialized: Materialized<K, V>,
): KTable<K, V> {
  const state: TableSourceState = { storeName: null, sendOldValues: false };
  const storeName = materialized.storeName ?? generatedStoreName;
  builder.addProcessor(processorName, tableSourceProcessor<K, V>(state), [parent]);
  const materialize = () => {
    if (state.storeName) return;
    state.storeName = storeName;
    const ks = materialized.keySerde ?? keySerde;
    const vs = materialized.valueSerde ?? valueSerde;
    builder.addStore(
      Stores.timestampedKeyValueStoreBuilder<K, V>({
        name: storeName,
        ...(ks ? { keySerde: ks } : {}),
        ...(vs ? { valueSerde: vs } : {}),
        logging: { enabled: materialized.loggingEnabled ?? true, config: materialized.logConfig ?? {} },
      }),
      [processorName],
    );
  };
  if (materialized.storeName) materialize();
  return new KTable<K, V>(
    builder,
    processorName,
    materialized.keySerde ?? keySerde,
    materialized.valueSerde ?? valueSerde,
    {
      flags: state,
      enableSendingOldValues(force = true) {
        if (!force && !state.storeName) return false;
        materialize();
        state.sendOldValues = true;
        return true;
      },
      valueGetterSupplier() {
        materialize();
        return storeValueGetter<K, V>(storeName);
      },
      queryableStoreName: materialized.storeName ?? null,
    },
  );
}

/** KStream#toTable: KSTREAM-TOTABLE- (and its store name), after a repartition if the key may have changed. */
export function toTable<K, V>(
  stream: KStream<K, V>,
  materialized: Materialized<K, V> = {},
  named?: string,
): KTable<K, V> {
  const builder = stream.builder;
  const name = named ?? builder.newProcessorName('KSTREAM-TOTABLE-');
  const generatedStore = builder.newStoreName('KSTREAM-TOTABLE-STATE-STORE-');
  const keySerde = materialized.keySerde ?? stream.keySerde;
  const valueSerde = materialized.valueSerde ?? stream.valueSerde;
  const parent = stream.keyChanged ? repartitionForKey(stream, name, keySerde, valueSerde) : stream.nodeName;
  return sourceTable(builder, name, parent, generatedStore, keySerde, valueSerde, materialized);
}

/** KStream#join / leftJoin with a KTable (KSTREAM-JOIN- / KSTREAM-LEFTJOIN-). */
export function streamTableJoin<K, V, VT, VR>(
  stream: KStream<K, V>,
  table: KTable<K, VT>,
  joiner: (value: V, tableValue: VT | null) => VR,
  leftJoin: boolean,
  named?: string,
): KStream<K, VR> {
  if (table.builder !== stream.builder)
    throw new Error('stream-table join: the stream and the table must come from the same StreamsBuilder');
  if (stream.keyChanged) {
    throw new Error(
      "stream-table join: the stream's key may have changed (map, flatMap or selectKey); call .repartition() on it before joining",
    );
  }
  const builder = stream.builder;
  const name = named ?? builder.newProcessorName(leftJoin ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
  const getter = table.node.valueGetterSupplier();
  builder.addProcessor(
    name,
    streamTableJoinProcessor<K, V, VT, VR>(getter, (v, tv) => joiner(v, tv), leftJoin),
    [stream.nodeName],
    getter.storeNames,
  );
  return stream.derive<K, VR>(name, stream.keySerde, undefined, false);
}
