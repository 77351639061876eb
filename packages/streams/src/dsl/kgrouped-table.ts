import type { ProcessorSupplier } from '../processor/api';
import {
  tableAggregateCombine,
  tableAggregateProcessor,
  tableReduceCombine,
  type TableCombine,
} from '../processor/aggregate/table-aggregate';
import type { Change, SendOldValues } from '../processor/table/change';
import { tableRepartitionMapProcessor } from '../processor/table/table-repartition-map';
import { Serdes, type Serde } from '../serdes/serde';
import type { KeyValue } from '../types/index';
import { aggregateStore, aggregationNode } from './kgrouped-stream';
import { KTable } from './ktable';
import type { Grouped, Materialized } from './table-options';

/**
 * Kafka Streams' KGroupedTable (KTable#groupBy): a table's rows regrouped under new keys.
 * Its aggregations keep one aggregate per group: an update of a row subtracts the row's
 * old value from its old group and adds the new value to its new group, so the
 * aggregate always reflects the table's current rows. Always repartitions, through
 * `<applicationId>-<grouped name or store>-repartition`.
 */
export class KGroupedTable<K, V> {
  /** @internal */
  constructor(
    private readonly table: KTable<unknown, unknown>,
    private readonly selector: (key: unknown, value: unknown) => KeyValue<K, V>,
    private readonly grouped: Grouped<K, V>,
  ) {}

  /** Rows per group; a group whose rows all moved away stays at 0, as in Kafka Streams. */
  count(materialized: Materialized<K, number> = {}): KTable<K, number> {
    return this.build(
      'KTABLE-AGGREGATE-',
      tableAggregateCombine<K, V, number>(
        () => 0,
        (_k, _v, n) => n + 1,
        (_k, _v, n) => n - 1,
      ),
      { valueSerde: Serdes.long(), ...materialized },
    );
  }

  /** Folds rows with `adder(aggregate, value)`, takes old ones out with `subtractor(aggregate, value)`. */
  reduce(
    adder: (aggregate: V, value: V) => V,
    subtractor: (aggregate: V, value: V) => V,
    materialized: Materialized<K, V> = {},
  ): KTable<K, V> {
    const m: Materialized<K, V> = { ...materialized };
    const valueSerde = m.valueSerde ?? this.grouped.valueSerde;
    if (valueSerde) m.valueSerde = valueSerde;
    return this.build('KTABLE-REDUCE-', tableReduceCombine<K, V>(adder, subtractor), m);
  }

  /** Folds rows into `adder(key, value, aggregate)` from `initializer()`; `subtractor` takes old ones out. */
  aggregate<VA>(
    initializer: () => VA,
    adder: (key: K, value: V, aggregate: VA) => VA,
    subtractor: (key: K, value: V, aggregate: VA) => VA,
    materialized: Materialized<K, VA> = {},
  ): KTable<K, VA> {
    return this.build(
      'KTABLE-AGGREGATE-',
      tableAggregateCombine(initializer, adder, subtractor),
      materialized,
    );
  }

  private build<VA>(
    prefix: 'KTABLE-AGGREGATE-' | 'KTABLE-REDUCE-',
    combine: TableCombine<K, V, VA>,
    materialized: Materialized<K, VA>,
  ): KTable<K, VA> {
    const builder = this.table.builder;
    // the parent must send old values: they are what gets subtracted
    this.table.node.enableSendingOldValues(true);
    // Kafka Streams' numbering: select, store, sink, source, aggregate
    const selectName = builder.newProcessorName('KTABLE-SELECT-');
    const storeName = materialized.storeName ?? builder.newStoreName(`${prefix}STATE-STORE-`);
    const name = this.grouped.name;
    const sinkName = name ? `${name}-sink` : builder.newProcessorName('KSTREAM-SINK-');
    const sourceName = name ? `${name}-source` : builder.newProcessorName('KSTREAM-SOURCE-');
    const processorName = builder.newProcessorName(prefix);
    const topic = `${name ?? storeName}-repartition`;
    const keySerde = this.grouped.keySerde;
    builder.addProcessor(selectName, tableRepartitionMapProcessor(this.selector, this.grouped.valueSerde), [
      this.table.nodeName,
    ]);
    const topology = builder.internalTopology;
    topology.addInternalTopic({ name: topic, partitions: undefined, config: { 'cleanup.policy': 'delete' } });
    const bytes = Serdes.buffer() as Serde<unknown>;
    topology.addSink(
      sinkName,
      topic,
      { ...(keySerde ? { keySerde } : {}), valueSerde: bytes, internal: true },
      selectName,
    );
    topology.addSource(sourceName, topic, {
      ...(keySerde ? { keySerde } : {}),
      valueSerde: bytes,
      internal: true,
    });
    const flags: SendOldValues = { sendOldValues: false };
    builder.addProcessor(
      processorName,
      tableAggregateProcessor(storeName, combine, this.grouped.valueSerde, flags) as ProcessorSupplier<
        unknown,
        unknown,
        unknown,
        Change<VA>
      >,
      [sourceName],
    );
    builder.addStore(aggregateStore(storeName, keySerde, materialized), [processorName]);
    return new KTable<K, VA>(
      builder,
      processorName,
      materialized.keySerde ?? keySerde,
      materialized.valueSerde,
      aggregationNode(storeName, flags, materialized),
    );
  }
}
