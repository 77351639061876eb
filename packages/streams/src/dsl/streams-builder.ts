import type { ProcessorSupplier } from '../processor/api';
import type { StoreBuilder } from '../state/api';
import { isTopicRef } from '../topology/nodes';
import { Topology } from '../topology/topology';
import { KStream } from './kstream';
import type { Consumed } from './options';
import type { KTable } from './ktable';
import { sourceTable } from './kstream-tables';
import type { Materialized } from './table-options';

/**
 * Kafka Streams' StreamsBuilder: `stream(...)` starts a KStream, `build()` returns the
 * Topology. The methods under "graph API" are for DSL extensions (joins live in their
 * own files): they add nodes and stores with Kafka Streams' generated names.
 */
export class StreamsBuilder {
  private readonly topology = new Topology();
  private index = 0;
  private readonly nullKeyRelaxedJoins = new Set<string>();

  stream<K = string, V = string>(
    topics: string | readonly string[],
    consumed: Consumed<K, V> = {},
  ): KStream<K, V> {
    const name = consumed.named ?? this.newProcessorName('KSTREAM-SOURCE-');
    this.topology.addSource(name, topics, {
      keySerde: consumed.keySerde,
      valueSerde: consumed.valueSerde,
      timestampExtractor: consumed.timestampExtractor,
    });
    return new KStream<K, V>(this, name, consumed.keySerde, consumed.valueSerde, false);
  }

  /**
   * A KTable over a topic whose records are its keys' latest values (Kafka Streams'
   * builder.table): KSTREAM-SOURCE- and KTABLE-SOURCE- nodes; the store
   * `<topic>-STATE-STORE-…` is added when the table is materialized (named, or joined).
   */
  table<K = string, V = string>(
    topic: string,
    consumed: Consumed<K, V> = {},
    materialized: Materialized<K, V> = {},
  ): KTable<K, V> {
    const generatedStore = this.newStoreName(`${topic}-STATE-STORE-`);
    const source = this.stream<K, V>(topic, consumed);
    const name = this.newProcessorName('KTABLE-SOURCE-');
    return sourceTable(
      this,
      name,
      source.nodeName,
      generatedStore,
      consumed.keySerde,
      consumed.valueSerde,
      materialized,
    );
  }

  /** The topology; building twice returns the same one. */
  build(): Topology {
    return this.topology;
  }

  // ---- graph API (for DSL code, e.g. joins) ----

  /** `KSTREAM-MAP-0000000003`: Kafka Streams' generated names, one counter for nodes and stores. */
  newProcessorName(prefix: string): string {
    return `${prefix}${String(this.index++).padStart(10, '0')}`;
  }

  newStoreName(prefix: string): string {
    return this.newProcessorName(prefix);
  }

  addProcessor<KIn, VIn, KOut, VOut>(
    name: string,
    supplier: ProcessorSupplier<KIn, VIn, KOut, VOut>,
    parents: readonly string[],
    storeNames: readonly string[] = [],
  ): void {
    this.topology.addProcessor(name, supplier, ...parents);
    if (storeNames.length) this.topology.connectProcessorAndStateStores(name, ...storeNames);
  }

  /** Adds a store; connect it to processors here or through addProcessor's storeNames. */
  addStore(builder: StoreBuilder, processorNames: readonly string[] = []): void {
    this.topology.addStateStore(builder, ...processorNames);
  }

  /** Marks a node as the entry of a join that takes null-key records (left/outer stream-stream joins). */
  markNullKeyRelaxedJoin(nodeName: string): void {
    this.nullKeyRelaxedJoins.add(nodeName);
  }

  /**
   * Whether a node marked by markNullKeyRelaxedJoin is downstream of `nodeName`, across
   * later repartition topics too (Kafka Streams' NodesWithRelaxedNullKeyJoinDownstream walks
   * its DSL graph, in which a repartition is one node between its parent and its children).
   */
  hasNullKeyRelaxedJoinDownstream(nodeName: string): boolean {
    const nodes = this.topology.nodes;
    const seen = new Set<string>([nodeName]);
    const queue = [nodeName];
    const visit = (name: string) => {
      if (seen.has(name)) return false;
      if (this.nullKeyRelaxedJoins.has(name)) return true;
      seen.add(name);
      queue.push(name);
      return false;
    };
    const byName = new Map(nodes.map((n) => [n.name, n]));
    while (queue.length) {
      const current = byName.get(queue.shift()!)!;
      for (const node of nodes) {
        if (node.kind !== 'source' && node.parents.includes(current.name) && visit(node.name)) return true;
      }
      if (current.kind === 'sink' && isTopicRef(current.topic) && current.topic.internal) {
        const topic = current.topic.name;
        for (const node of nodes) {
          if (
            node.kind === 'source' &&
            node.topics.some((t) => t.internal && t.name === topic) &&
            visit(node.name)
          )
            return true;
        }
      }
    }
    return false;
  }

  /** The topology being built, for graph code that needs the processor API directly. */
  get internalTopology(): Topology {
    return this.topology;
  }
}
