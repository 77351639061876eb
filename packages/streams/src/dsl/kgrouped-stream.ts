import type { ProcessorSupplier } from '../processor/api';
import {
  aggregateCombine,
  reduceCombine,
  streamAggregateProcessor,
} from '../processor/aggregate/stream-aggregate';
import type { Change, SendOldValues } from '../processor/table/change';
import { storeValueGetter } from '../processor/table/value-getter';
import { Serdes, type Serde } from '../serdes/serde';
import type { StoreBuilder } from '../state/api';
import { Stores } from '../state/stores';
import { repartitionForKey } from './group-repartition';
import type { KStream } from './kstream';
import { KTable, type TableNode } from './ktable';
import type { Grouped, Materialized } from './table-options';
import { SessionWindowedKStream, TimeWindowedKStream, SlidingWindowedKStream } from './windowed-kstream';
import { SessionWindows } from './windows/session-windows';
import { SlidingWindows } from './windows/sliding-windows';
import { TimeWindows } from './windows/time-windows';

/** The parts every aggregation of a grouped stream is built from. */
export interface AggregationParts<K, VA> {
  /** KSTREAM-AGGREGATE- or KSTREAM-REDUCE-: names the store (…STATE-STORE-…) and the processor. */
  prefix: 'KSTREAM-AGGREGATE-' | 'KSTREAM-REDUCE-';
  materialized: Materialized<K, VA>;
  store: (name: string) => StoreBuilder;
  processor: (
    storeName: string,
    flags: SendOldValues,
  ) => ProcessorSupplier<unknown, unknown, unknown, Change<VA>>;
}

/**
 * Kafka Streams' KGroupedStream: records grouped by key, ready to aggregate. When the key
 * may have changed upstream (groupBy, or groupByKey after map/selectKey), the aggregation
 * first repartitions through `<applicationId>-<name or store>-repartition`.
 */
export class KGroupedStream<K, V> {
  constructor(
    /** @internal */ readonly stream: KStream<K, V>,
    /** @internal */ readonly grouped: Grouped<K, V>,
    /** @internal */ readonly repartitionRequired: boolean,
  ) {}

  get keySerde(): Serde<K> | undefined {
    return this.grouped.keySerde ?? this.stream.keySerde;
  }

  get valueSerde(): Serde<V> | undefined {
    return this.grouped.valueSerde ?? this.stream.valueSerde;
  }

  /** Records per key (null values are not counted), as a KTable of numbers (Serdes.long()). */
  count(materialized: Materialized<K, number> = {}): KTable<K, number> {
    return this.aggregate(
      () => 0,
      (_k, _v, n: number) => n + 1,
      { valueSerde: Serdes.long(), ...materialized },
    );
  }

  /** Folds each key's values with `reducer(aggregate, value)`; the first value is the start. */
  reduce(reducer: (aggregate: V, value: V) => V, materialized: Materialized<K, V> = {}): KTable<K, V> {
    const m: Materialized<K, V> = { ...materialized };
    const valueSerde = m.valueSerde ?? this.valueSerde;
    if (valueSerde) m.valueSerde = valueSerde;
    return this.build({
      prefix: 'KSTREAM-REDUCE-',
      materialized: m,
      store: (name) => this.keyValueStore(name, m),
      processor: (storeName, flags) =>
        streamAggregateProcessor(storeName, reduceCombine<K, V>(reducer), flags) as ProcessorSupplier<
          unknown,
          unknown,
          unknown,
          Change<V>
        >,
    });
  }

  /** Folds each key's values into `aggregator(key, value, aggregate)`, starting from `initializer()`. */
  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    materialized: Materialized<K, VA> = {},
  ): KTable<K, VA> {
    return this.build({
      prefix: 'KSTREAM-AGGREGATE-',
      materialized,
      store: (name) => this.keyValueStore(name, materialized),
      processor: (storeName, flags) =>
        streamAggregateProcessor(
          storeName,
          aggregateCombine(initializer, aggregator),
          flags,
        ) as ProcessorSupplier<unknown, unknown, unknown, Change<VA>>,
    });
  }

  /** Windowed aggregations: tumbling/hopping (TimeWindows), sliding or session windows. */
  windowedBy(windows: TimeWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: SlidingWindows): SlidingWindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(
    windows: TimeWindows | SlidingWindows | SessionWindows,
  ): TimeWindowedKStream<K, V> | SlidingWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
    if (windows instanceof TimeWindows) return new TimeWindowedKStream(this, windows);
    if (windows instanceof SlidingWindows) return new SlidingWindowedKStream(this, windows);
    if (windows instanceof SessionWindows) return new SessionWindowedKStream(this, windows);
    throw new TypeError('windowedBy: pass TimeWindows, SlidingWindows or SessionWindows');
  }

  private keyValueStore<VA>(name: string, materialized: Materialized<K, VA>): StoreBuilder {
    return aggregateStore(name, this.keySerde, materialized);
  }

  /** @internal Adds the store, the repartition step (if needed) and the aggregation processor. */
  buildNodes<VA>(parts: AggregationParts<K, VA>): {
    storeName: string;
    processorName: string;
    flags: SendOldValues;
  } {
    const builder = this.stream.builder;
    const storeName = parts.materialized.storeName ?? builder.newStoreName(`${parts.prefix}STATE-STORE-`);
    const processorName = builder.newProcessorName(parts.prefix);
    const parent = this.repartitionRequired
      ? repartitionForKey(this.stream, this.grouped.name ?? storeName, this.keySerde, this.valueSerde)
      : this.stream.nodeName;
    const flags: SendOldValues = { sendOldValues: false };
    builder.addProcessor(processorName, parts.processor(storeName, flags), [parent]);
    builder.addStore(parts.store(storeName), [processorName]);
    return { storeName, processorName, flags };
  }

  private build<VA>(parts: AggregationParts<K, VA>): KTable<K, VA> {
    const { storeName, processorName, flags } = this.buildNodes(parts);
    return new KTable<K, VA>(
      this.stream.builder,
      processorName,
      parts.materialized.keySerde ?? this.keySerde,
      parts.materialized.valueSerde,
      aggregationNode(storeName, flags, parts.materialized),
    );
  }
}

/** The timestamped key-value store of a (non-windowed) aggregation. */
export function aggregateStore<K, VA>(
  name: string,
  groupKeySerde: Serde<K> | undefined,
  materialized: Materialized<K, VA>,
): StoreBuilder {
  const keySerde = materialized.keySerde ?? groupKeySerde;
  return Stores.timestampedKeyValueStoreBuilder<K, VA>({
    name,
    ...(keySerde ? { keySerde } : {}),
    ...(materialized.valueSerde ? { valueSerde: materialized.valueSerde } : {}),
    logging: { enabled: materialized.loggingEnabled ?? true, config: materialized.logConfig ?? {} },
  });
}

/** The table node of an aggregation's result: it has its store, so it can always send old values. */
export function aggregationNode<K, VA>(
  storeName: string,
  flags: SendOldValues,
  materialized: Materialized<K, VA>,
): TableNode<K, VA> {
  return {
    flags,
    enableSendingOldValues() {
      flags.sendOldValues = true;
      return true;
    },
    valueGetterSupplier: () => storeValueGetter<K, VA>(storeName),
    queryableStoreName: materialized.storeName ?? null,
  };
}
