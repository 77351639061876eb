import { passThroughProcessor } from '../processor/stateless';
import { suppressProcessor, bufferedChangeSerde } from '../processor/table/suppress';
import {
  filterValueGetter,
  mapValuesValueGetter,
  tableFilterProcessor,
  tableMapValuesProcessor,
  tableToStreamProcessor,
} from '../processor/table/table-processors';
import {
  tableJoinValueGetter,
  tableTableJoinProcessor,
  type TableJoinType,
} from '../processor/table/table-table-join';
import type { SendOldValues } from '../processor/table/change';
import type { KTableValueGetterSupplier } from '../processor/table/value-getter';
import type { Serde } from '../serdes/serde';
import { Stores } from '../state/stores';
import type { KeyValue, Windowed } from '../types/index';
import { KGroupedTable } from './kgrouped-table';
import { KStream } from './kstream';
import type { StreamsBuilder } from './streams-builder';
import type { Grouped, Suppressed } from './table-options';

/**
 * What a KTable's node offers the nodes built on it (Kafka Streams' KTableProcessorSupplier
 * side of KTableImpl): old values on request, a value getter for joins, and, for windowed
 * tables, the grace that suppress waits for.
 */
export interface TableNode<K, V> {
  readonly flags: SendOldValues;
  /**
   * Makes the node forward old values too, and says whether it does (Kafka Streams'
   * enableSendingOldValues(forceMaterialization)). Forced (the default) it always does,
   * materializing a source table if needed; unforced, a table that would need a store it
   * does not have yet declines and returns false.
   */
  enableSendingOldValues(forceMaterialization?: boolean): boolean;
  valueGetterSupplier(): KTableValueGetterSupplier<K, V>;
  /** Windowed aggregations: how long after a window's end it still accepts records. */
  readonly windowGraceMs?: number;
  readonly queryableStoreName: string | null;
}

/** Windowed tables have no value getter here: joining them is not supported. */
export function noValueGetter<K, V>(what: string): () => KTableValueGetterSupplier<K, V> {
  return () => {
    throw new Error(`${what}: joining this table is not supported (no value getter)`);
  };
}

/**
 * Kafka Streams' KTable: a changelog stream where each record is the latest value of its
 * key. Nodes between tables pass Change records (new value, and old value when a node
 * downstream asked for it); toStream() turns them back into plain records.
 */
export class KTable<K, V> {
  constructor(
    readonly builder: StreamsBuilder,
    readonly nodeName: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    /** @internal */
    readonly node: TableNode<K, V>,
  ) {}

  /** The store's name when the table is materialized under a name (Materialized.storeName), else null. */
  queryableStoreName(): string | null {
    return this.node.queryableStoreName;
  }

  filter(predicate: (key: K, value: V) => boolean, named?: string): KTable<K, V> {
    return this.doFilter(predicate, false, named);
  }

  filterNot(predicate: (key: K, value: V) => boolean, named?: string): KTable<K, V> {
    return this.doFilter(predicate, true, named);
  }

  mapValues<VR>(mapper: (value: V, key: K) => VR, named?: string): KTable<K, VR> {
    const name = named ?? this.builder.newProcessorName('KTABLE-MAPVALUES-');
    const flags: SendOldValues = { sendOldValues: false };
    this.builder.addProcessor(name, tableMapValuesProcessor(mapper, flags), [this.nodeName]);
    const parent = this.node;
    return new KTable<K, VR>(this.builder, name, this.keySerde, undefined, {
      flags,
      enableSendingOldValues(force = true) {
        if (parent.enableSendingOldValues(force)) flags.sendOldValues = true;
        return flags.sendOldValues;
      },
      valueGetterSupplier: () => mapValuesValueGetter(parent.valueGetterSupplier(), mapper),
      ...(parent.windowGraceMs !== undefined ? { windowGraceMs: parent.windowGraceMs } : {}),
      queryableStoreName: null,
    });
  }

  /**
   * Regroups the table's rows under `selector`'s (key, value) for count/reduce/aggregate
   * with a subtractor (Kafka Streams' KTable#groupBy); always repartitions.
   */
  groupBy<KR, VR>(
    selector: (key: K, value: V) => KeyValue<KR, VR>,
    grouped: Grouped<KR, VR> = {},
  ): KGroupedTable<KR, VR> {
    return new KGroupedTable<KR, VR>(
      this as KTable<unknown, unknown>,
      selector as (key: unknown, value: unknown) => KeyValue<KR, VR>,
      grouped,
    );
  }

  /** The table's updates as a stream: each key's new value, null for a deletion. */
  toStream(named?: string): KStream<K, V> {
    const name = named ?? this.builder.newProcessorName('KTABLE-TOSTREAM-');
    this.builder.addProcessor(name, tableToStreamProcessor<K, V>(), [this.nodeName]);
    return new KStream<K, V>(this.builder, name, this.keySerde, this.valueSerde, false);
  }

  /** Inner table-table join on the key: a result while both sides have a value. */
  join<VO, VR>(
    other: KTable<K, VO>,
    joiner: (value: V, otherValue: VO) => VR,
    named?: string,
  ): KTable<K, VR> {
    return this.doJoin('inner', other, joiner as (a: V | null, b: VO | null) => VR, named);
  }

  /** Left table-table join: a result while this side has a value (other null when missing). */
  leftJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: (value: V, otherValue: VO | null) => VR,
    named?: string,
  ): KTable<K, VR> {
    return this.doJoin('left', other, joiner as (a: V | null, b: VO | null) => VR, named);
  }

  /** Outer table-table join: a result while either side has a value. */
  outerJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: (value: V | null, otherValue: VO | null) => VR,
    named?: string,
  ): KTable<K, VR> {
    return this.doJoin('outer', other, joiner, named);
  }

  /**
   * Holds updates back (Kafka Streams' KTable#suppress). With untilWindowCloses, a windowed
   * table emits each window's final result once, when stream time passes window end + grace.
   */
  suppress(suppressed: Suppressed): KTable<K, V> {
    const grace = this.node.windowGraceMs;
    if (grace === undefined) {
      throw new Error(
        'suppress(Suppressed.untilWindowCloses(...)) needs a windowed table (the result of a windowed aggregation)',
      );
    }
    const name = suppressed.name ?? this.builder.newProcessorName('KTABLE-SUPPRESS-');
    const storeName = suppressed.name
      ? `${suppressed.name}-store`
      : this.builder.newStoreName('KTABLE-SUPPRESS-STATE-STORE-');
    const keySerde = this.keySerde as unknown as Serde<Windowed<unknown>> | undefined;
    const keyBytes = (key: Windowed<unknown>): Buffer =>
      keySerde?.serialize('', key, {}) ?? Buffer.from(JSON.stringify(key));
    this.builder.addProcessor(name, suppressProcessor<unknown, V>({ storeName, graceMs: grace, keyBytes }), [
      this.nodeName,
    ]);
    const valueSerde = this.valueSerde;
    this.builder.addStore(
      Stores.keyValueStoreBuilder({
        name: storeName,
        keySerde: () =>
          keySerde ?? {
            serialize: (_t, k) => (k === null || k === undefined ? null : keyBytes(k)),
            deserialize: (_t, b) => (b === null ? null : JSON.parse(b.toString('utf8'))) as Windowed<unknown>,
          },
        valueSerde: (defaults) => bufferedChangeSerde((valueSerde ?? defaults.value) as Serde<V>),
      }),
      [name],
    );
    const parent = this.node;
    return new KTable<K, V>(this.builder, name, this.keySerde, this.valueSerde, {
      flags: parent.flags,
      enableSendingOldValues: (force = true) => parent.enableSendingOldValues(force),
      valueGetterSupplier: noValueGetter('suppress'),
      windowGraceMs: grace,
      queryableStoreName: null,
    });
  }

  private doFilter(predicate: (key: K, value: V) => boolean, negate: boolean, named?: string): KTable<K, V> {
    const name = named ?? this.builder.newProcessorName('KTABLE-FILTER-');
    const parent = this.node;
    // as KTableFilter's constructor: an upstream that has old values anyway (a store) sends
    // them, so an update that neither passes now nor passed before forwards no tombstone
    const flags: SendOldValues = { sendOldValues: parent.enableSendingOldValues(false) };
    this.builder.addProcessor(name, tableFilterProcessor(predicate, negate, flags), [this.nodeName]);
    return new KTable<K, V>(this.builder, name, this.keySerde, this.valueSerde, {
      flags,
      enableSendingOldValues(force = true) {
        if (parent.enableSendingOldValues(force)) flags.sendOldValues = true;
        return flags.sendOldValues;
      },
      valueGetterSupplier: () => filterValueGetter(parent.valueGetterSupplier(), predicate, negate),
      ...(parent.windowGraceMs !== undefined ? { windowGraceMs: parent.windowGraceMs } : {}),
      queryableStoreName: null,
    });
  }

  private doJoin<VO, VR>(
    type: TableJoinType,
    other: KTable<K, VO>,
    joiner: (value: V | null, otherValue: VO | null) => VR,
    named?: string,
  ): KTable<K, VR> {
    if (other.builder !== this.builder)
      throw new Error(`${type} join: both tables must come from the same StreamsBuilder`);
    const builder = this.builder;
    const mergeName = named ?? builder.newProcessorName('KTABLE-MERGE-');
    if (type !== 'inner') this.node.enableSendingOldValues();
    if (type === 'outer') other.node.enableSendingOldValues();
    const thisName = named ? `${named}-join-this` : builder.newProcessorName('KTABLE-JOINTHIS-');
    const otherName = named ? `${named}-join-other` : builder.newProcessorName('KTABLE-JOINOTHER-');
    const flags: SendOldValues = { sendOldValues: false };
    const thisGetter = this.node.valueGetterSupplier();
    const otherGetter = other.node.valueGetterSupplier();
    builder.addProcessor(
      thisName,
      tableTableJoinProcessor<K, V, VO, VR>({
        type,
        side: 'left',
        other: otherGetter as KTableValueGetterSupplier<K, V | VO>,
        joiner,
        flags,
      }),
      [this.nodeName],
      otherGetter.storeNames,
    );
    builder.addProcessor(
      otherName,
      tableTableJoinProcessor<K, V, VO, VR>({
        type,
        side: 'right',
        other: thisGetter as KTableValueGetterSupplier<K, V | VO>,
        joiner,
        flags,
      }),
      [other.nodeName],
      thisGetter.storeNames,
    );
    builder.addProcessor(mergeName, passThroughProcessor<K, unknown>(), [thisName, otherName]);
    const left = this.node;
    return new KTable<K, VR>(builder, mergeName, this.keySerde ?? other.keySerde, undefined, {
      flags,
      // table-table joins materialize both sides anyway, so they always can
      enableSendingOldValues() {
        left.enableSendingOldValues(true);
        other.node.enableSendingOldValues(true);
        flags.sendOldValues = true;
        return true;
      },
      valueGetterSupplier: () => tableJoinValueGetter(type, thisGetter, otherGetter, joiner),
      queryableStoreName: null,
    });
  }
}
