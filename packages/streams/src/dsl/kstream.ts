import type { ProcessorSupplier } from '../processor/api';
import {
  filterProcessor,
  flatMapProcessor,
  flatMapValuesProcessor,
  mapProcessor,
  mapValuesProcessor,
  passThroughProcessor,
  peekProcessor,
  selectKeyProcessor,
} from '../processor/stateless';
import type { Serde } from '../serdes/serde';
import type { TopicNameExtractor } from '../topology/nodes';
import type { KeyValue } from '../types/index';
import { BranchedKStream } from './branched';
import type { Produced, Repartitioned } from './options';
import type { JoinWindows } from './join-windows';
import { streamStreamJoin, type StreamJoined } from './stream-stream-join';
import type { ValueJoiner } from '../processor/join/join-side-processor';
import type { StreamsBuilder } from './streams-builder';
import type { KGroupedStream } from './kgrouped-stream';
import { KTable } from './ktable';
import { groupBy, groupByKey, streamTableJoin, toTable } from './kstream-tables';
import type { Grouped, Materialized } from './table-options';

/**
 * Kafka Streams' KStream. Each operation adds a node named like Kafka Streams' generated
 * names and returns a new stream. Serdes follow Kafka Streams: an operation that may
 * change the key (map, flatMap, selectKey) forgets the key serde and marks the stream
 * key-changed, so a join or aggregation knows it must repartition first.
 */
export class KStream<K, V> {
  constructor(
    /** The builder this stream belongs to (graph API for DSL extensions). */
    readonly builder: StreamsBuilder,
    /** The node whose output this stream is. */
    readonly nodeName: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    /** True after map/flatMap/selectKey: records may sit in the wrong partition for their key. */
    readonly keyChanged: boolean,
  ) {}

  map<KR, VR>(mapper: (key: K, value: V) => KeyValue<KR, VR>, named?: string): KStream<KR, VR> {
    return this.add('KSTREAM-MAP-', mapProcessor(mapper), named, undefined, undefined, true);
  }

  mapValues<VR>(mapper: (value: V, key: K) => VR, named?: string): KStream<K, VR> {
    return this.add(
      'KSTREAM-MAPVALUES-',
      mapValuesProcessor(mapper),
      named,
      this.keySerde,
      undefined,
      this.keyChanged,
    );
  }

  filter(predicate: (key: K, value: V) => boolean, named?: string): KStream<K, V> {
    return this.add(
      'KSTREAM-FILTER-',
      filterProcessor(predicate, false),
      named,
      this.keySerde,
      this.valueSerde,
      this.keyChanged,
    );
  }

  filterNot(predicate: (key: K, value: V) => boolean, named?: string): KStream<K, V> {
    return this.add(
      'KSTREAM-FILTER-',
      filterProcessor(predicate, true),
      named,
      this.keySerde,
      this.valueSerde,
      this.keyChanged,
    );
  }

  flatMap<KR, VR>(mapper: (key: K, value: V) => Iterable<KeyValue<KR, VR>>, named?: string): KStream<KR, VR> {
    return this.add('KSTREAM-FLATMAP-', flatMapProcessor(mapper), named, undefined, undefined, true);
  }

  flatMapValues<VR>(mapper: (value: V, key: K) => Iterable<VR>, named?: string): KStream<K, VR> {
    return this.add(
      'KSTREAM-FLATMAPVALUES-',
      flatMapValuesProcessor(mapper),
      named,
      this.keySerde,
      undefined,
      this.keyChanged,
    );
  }

  selectKey<KR>(mapper: (key: K, value: V) => KR, named?: string): KStream<KR, V> {
    return this.add(
      'KSTREAM-KEY-SELECT-',
      selectKeyProcessor(mapper),
      named,
      undefined,
      this.valueSerde,
      true,
    );
  }

  peek(action: (key: K, value: V) => void, named?: string): KStream<K, V> {
    return this.add(
      'KSTREAM-PEEK-',
      peekProcessor(action),
      named,
      this.keySerde,
      this.valueSerde,
      this.keyChanged,
    );
  }

  merge(other: KStream<K, V>, named?: string): KStream<K, V> {
    if (other.builder !== this.builder)
      throw new Error('merge: both streams must come from the same StreamsBuilder');
    const name = named ?? this.builder.newProcessorName('KSTREAM-MERGE-');
    this.builder.addProcessor(name, passThroughProcessor<K, V>(), [this.nodeName, other.nodeName]);
    const same = <T>(a: T | undefined, b: T | undefined) => (a === b ? a : undefined);
    return this.derive(
      name,
      same(this.keySerde, other.keySerde),
      same(this.valueSerde, other.valueSerde),
      this.keyChanged || other.keyChanged,
    );
  }

  /** Kafka Streams' split(): add branches with `branch(predicate, Branched)`, finish with `defaultBranch()` or `noDefaultBranch()`. */
  split(named?: string): BranchedKStream<K, V> {
    return new BranchedKStream(this, named ?? this.builder.newProcessorName('KSTREAM-BRANCH-'));
  }

  /**
   * Writes the stream through an internal topic `<applicationId>-<name>-repartition`, so
   * records land in the partition of their (new) key, and reads it back.
   */
  repartition(repartitioned: Repartitioned<K, V> = {}): KStream<K, V> {
    const { name, numberOfPartitions } = repartitioned;
    if (
      numberOfPartitions !== undefined &&
      !(Number.isInteger(numberOfPartitions) && numberOfPartitions > 0)
    ) {
      throw new Error(
        `repartition: numberOfPartitions must be a positive integer, got ${numberOfPartitions}`,
      );
    }
    const builder = this.builder;
    const base = name ?? builder.newProcessorName('KSTREAM-REPARTITION-');
    const topic = `${base}-repartition`;
    const keySerde = repartitioned.keySerde ?? this.keySerde;
    const valueSerde = repartitioned.valueSerde ?? this.valueSerde;
    const topology = builder.internalTopology;
    // Kafka Streams generates all three names even when named, so later names stay aligned
    const generated = ['KSTREAM-SINK-', 'KSTREAM-FILTER-', 'KSTREAM-SOURCE-'].map((p) =>
      builder.newProcessorName(p),
    );
    const [sinkName, filterName, sourceName] = name
      ? [`${topic}-sink`, `${topic}-filter`, `${topic}-source`]
      : (generated as [string, string, string]);
    topology.addInternalTopic({
      name: topic,
      partitions: numberOfPartitions,
      // As Kafka Streams: consumed records may be purged; delete is the only sane policy for a hand-off topic.
      config: { 'cleanup.policy': 'delete' },
    });
    // Kafka Streams (KIP-962): a repartition drops null-key records, unless a left/outer
    // join downstream wants them; decided once the topology is complete
    const nullKeyFilter: ProcessorSupplier<K, V, K, V> = () => {
      const keepNullKeys = builder.hasNullKeyRelaxedJoinDownstream(sourceName);
      return filterProcessor<K, V>((k) => keepNullKeys || (k !== null && k !== undefined), false)();
    };
    builder.addProcessor(filterName, nullKeyFilter, [this.nodeName]);
    topology.addSink(sinkName, topic, { keySerde, valueSerde, internal: true }, filterName);
    topology.addSource(sourceName, topic, { keySerde, valueSerde, internal: true });
    return this.derive(sourceName, keySerde, valueSerde, false);
  }

  /** Groups by the current key for an aggregation (repartitions first if the key may have changed). */
  groupByKey(grouped: Grouped<K, V> = {}): KGroupedStream<K, V> {
    return groupByKey(this, grouped);
  }

  /** Groups by a new key; the aggregation repartitions through `<applicationId>-<name>-repartition`. */
  groupBy<KR>(selector: (key: K, value: V) => KR, grouped: Grouped<KR, V> = {}): KGroupedStream<KR, V> {
    return groupBy(this, selector, grouped);
  }

  /** Runs `action` for each record; a terminal operation (KSTREAM-FOREACH-). */
  foreach(action: (key: K, value: V) => void, named?: string): void {
    const name = named ?? this.builder.newProcessorName('KSTREAM-FOREACH-');
    this.builder.addProcessor<K, V, never, never>(name, () => ({ process: (r) => action(r.key, r.value) }), [
      this.nodeName,
    ]);
  }

  /** The stream as a table: each record is its key's latest value, null deletes it. */
  toTable(materialized: Materialized<K, V> = {}, named?: string): KTable<K, V> {
    return toTable(this, materialized, named);
  }

  /**
   * With a KTable: joins each record with the table's current value of its key (Kafka
   * Streams' stream-table join). With a KStream: the windowed inner stream-stream join.
   */
  join<VT, VR>(
    table: KTable<K, VT>,
    joiner: (value: V, tableValue: VT) => VR,
    named?: string,
  ): KStream<K, VR>;
  join<VO, VR>(
    other: KStream<K, VO>,
    joiner: (value: V, otherValue: VO) => VR,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  join<VO, VR>(
    other: KStream<K, VO> | KTable<K, VO>,
    joiner: (value: V, otherValue: VO) => VR,
    windows?: JoinWindows | string,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR> {
    if (other instanceof KTable) {
      return streamTableJoin(
        this,
        other,
        joiner as (v: V, t: VO | null) => VR,
        false,
        windows as string | undefined,
      );
    }
    return streamStreamJoin(
      'inner',
      this,
      other,
      joiner as ValueJoiner<V, VO, VR>,
      windows as JoinWindows,
      streamJoined,
    );
  }

  /**
   * With a KTable: every record, joined with the table's current value of its key or null.
   * With a KStream: the windowed left join; unmatched records are emitted with null once their window closed.
   */
  leftJoin<VT, VR>(
    table: KTable<K, VT>,
    joiner: (value: V, tableValue: VT | null) => VR,
    named?: string,
  ): KStream<K, VR>;
  leftJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: (value: V, otherValue: VO | null) => VR,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  leftJoin<VO, VR>(
    other: KStream<K, VO> | KTable<K, VO>,
    joiner: (value: V, otherValue: VO | null) => VR,
    windows?: JoinWindows | string,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR> {
    if (other instanceof KTable)
      return streamTableJoin(this, other, joiner, true, windows as string | undefined);
    return streamStreamJoin(
      'left',
      this,
      other,
      joiner as ValueJoiner<V, VO, VR>,
      windows as JoinWindows,
      streamJoined,
    );
  }

  /** Windowed outer join: unmatched records of either stream are emitted with null once their window closed. */
  outerJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: (value: V | null, otherValue: VO | null) => VR,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR> {
    return streamStreamJoin('outer', this, other, joiner, windows, streamJoined);
  }

  /** Writes to a topic, or to the topic `extractor` picks per record. */
  to(topic: string | TopicNameExtractor<K, V>, produced: Produced<K, V> = {}): void {
    const name = produced.named ?? this.builder.newProcessorName('KSTREAM-SINK-');
    this.builder.internalTopology.addSink(
      name,
      topic as string | TopicNameExtractor<never, never>,
      { keySerde: produced.keySerde ?? this.keySerde, valueSerde: produced.valueSerde ?? this.valueSerde },
      this.nodeName,
    );
  }

  /** Runs a processor of your own (Kafka Streams' process()); connect stores by name. */
  process<KR, VR>(
    supplier: ProcessorSupplier<K, V, KR, VR>,
    options: { named?: string; stores?: readonly string[] } = {},
  ): KStream<KR, VR> {
    const name = options.named ?? this.builder.newProcessorName('KSTREAM-PROCESSOR-');
    this.builder.addProcessor(name, supplier, [this.nodeName], options.stores ?? []);
    return this.derive(name, undefined, undefined, true);
  }

  /** @internal A stream on `nodeName` of the same builder; for DSL extensions (joins). */
  derive<KR, VR>(
    nodeName: string,
    keySerde: Serde<KR> | undefined,
    valueSerde: Serde<VR> | undefined,
    keyChanged: boolean,
  ): KStream<KR, VR> {
    return new KStream(this.builder, nodeName, keySerde, valueSerde, keyChanged);
  }

  private add<KR, VR>(
    prefix: string,
    supplier: ProcessorSupplier<K, V, KR, VR>,
    named: string | undefined,
    keySerde: Serde<KR> | undefined,
    valueSerde: Serde<VR> | undefined,
    keyChanged: boolean,
  ): KStream<KR, VR> {
    const name = named ?? this.builder.newProcessorName(prefix);
    this.builder.addProcessor(name, supplier, [this.nodeName]);
    return this.derive(name, keySerde, valueSerde, keyChanged);
  }
}
