import type { ProcessorSupplier } from '../processor/api';
import type { Deserializer, Serializer } from '../serdes/serde';
import type { StoreBuilder } from '../state/api';
import { describeTopology, type TopologyDescription } from './describe';
import type {
  InternalTopicSpec,
  ProcessorNode,
  SinkNode,
  SourceNode,
  TimestampExtractor,
  TopicNameExtractor,
  TopicRef,
  TopologyNode,
} from './nodes';
import { groupSubtopologies, type Subtopology } from './subtopologies';

export interface SourceOptions {
  keySerde?: Deserializer<unknown>;
  valueSerde?: Deserializer<unknown>;
  timestampExtractor?: TimestampExtractor;
  /** @internal topics are internal (repartition) topics, named without the application id. */
  internal?: boolean;
}

export interface SinkOptions {
  keySerde?: Serializer<unknown>;
  valueSerde?: Serializer<unknown>;
  /** @internal the topic is an internal (repartition) topic. */
  internal?: boolean;
}

export class TopologyError extends Error {
  override readonly name = 'TopologyError';
}

/**
 * The logical graph: sources, processors, sinks, stores and internal topics. Built by
 * the DSL (StreamsBuilder) or directly through the processor API (`addSource`,
 * `addProcessor`, `addSink`, `addStateStore`), as in Kafka Streams. Runtimes read it;
 * it knows nothing about how it is run.
 */
export class Topology {
  private readonly nodeList: TopologyNode[] = [];
  private readonly nodesByName = new Map<string, TopologyNode>();
  private readonly stores = new Map<string, StoreBuilder>();
  private readonly internal = new Map<string, InternalTopicSpec>();
  private readonly sourceTopicOwners = new Map<string, string>();
  private cachedSubtopologies: Subtopology[] | undefined;

  addSource(name: string, topics: string | readonly string[], options: SourceOptions = {}): this {
    const list = typeof topics === 'string' ? [topics] : [...topics];
    if (list.length === 0) throw new TopologyError(`source ${name} needs at least one topic`);
    for (const topic of list) {
      const owner = this.sourceTopicOwners.get(topic);
      if (owner) throw new TopologyError(`topic ${topic} is already read by source ${owner}`);
    }
    const node: SourceNode = {
      kind: 'source',
      name,
      topics: list.map((t) => ({ name: t, internal: options.internal ?? false })),
      keySerde: options.keySerde,
      valueSerde: options.valueSerde,
      timestampExtractor: options.timestampExtractor,
    };
    this.addNode(node);
    list.forEach((t) => this.sourceTopicOwners.set(t, name));
    return this;
  }

  addProcessor<KIn, VIn, KOut, VOut>(
    name: string,
    supplier: ProcessorSupplier<KIn, VIn, KOut, VOut>,
    ...parentNames: string[]
  ): this {
    this.requireParents(name, parentNames);
    const node: ProcessorNode = {
      kind: 'processor',
      name,
      supplier: supplier as ProcessorSupplier<unknown, unknown, unknown, unknown>,
      parents: parentNames,
      stores: [],
    };
    this.addNode(node);
    return this;
  }

  addSink(
    name: string,
    topic: string | TopicNameExtractor<never, never>,
    options: SinkOptions = {},
    ...parentNames: string[]
  ): this {
    this.requireParents(name, parentNames);
    const target: TopicRef | TopicNameExtractor =
      typeof topic === 'string'
        ? { name: topic, internal: options.internal ?? false }
        : (topic as TopicNameExtractor);
    const node: SinkNode = {
      kind: 'sink',
      name,
      parents: parentNames,
      topic: target,
      keySerde: options.keySerde,
      valueSerde: options.valueSerde,
    };
    this.addNode(node);
    return this;
  }

  addStateStore(builder: StoreBuilder, ...processorNames: string[]): this {
    if (this.stores.has(builder.name)) throw new TopologyError(`store ${builder.name} is already added`);
    this.stores.set(builder.name, builder);
    this.connectProcessorAndStateStores(processorNames, builder.name);
    return this;
  }

  connectProcessorAndStateStores(processorNames: string | readonly string[], ...storeNames: string[]): this {
    const list = typeof processorNames === 'string' ? [processorNames] : processorNames;
    for (const processorName of list) {
      const node = this.nodesByName.get(processorName);
      if (!node || node.kind !== 'processor') throw new TopologyError(`no processor named ${processorName}`);
      for (const store of storeNames) {
        if (!this.stores.has(store)) throw new TopologyError(`no store named ${store}`);
        if (!node.stores.includes(store)) node.stores.push(store);
      }
    }
    this.cachedSubtopologies = undefined;
    return this;
  }

  /** Declares an internal topic the runtime must create (repartition topics). */
  addInternalTopic(spec: InternalTopicSpec): this {
    if (this.internal.has(spec.name))
      throw new TopologyError(`internal topic ${spec.name} is already declared`);
    this.internal.set(spec.name, spec);
    return this;
  }

  describe(): TopologyDescription {
    return describeTopology(this.subtopologies(), this.nodeList);
  }

  // ---- read side, for runtimes ----

  get nodes(): readonly TopologyNode[] {
    return this.nodeList;
  }

  node(name: string): TopologyNode | undefined {
    return this.nodesByName.get(name);
  }

  hasNode(name: string): boolean {
    return this.nodesByName.has(name);
  }

  get storeBuilders(): ReadonlyMap<string, StoreBuilder> {
    return this.stores;
  }

  get internalTopics(): readonly InternalTopicSpec[] {
    return [...this.internal.values()];
  }

  subtopologies(): readonly Subtopology[] {
    this.cachedSubtopologies ??= groupSubtopologies(this.nodeList);
    return this.cachedSubtopologies;
  }

  private addNode(node: TopologyNode): void {
    if (this.nodesByName.has(node.name)) throw new TopologyError(`a node named ${node.name} already exists`);
    this.nodeList.push(node);
    this.nodesByName.set(node.name, node);
    this.cachedSubtopologies = undefined;
  }

  private requireParents(name: string, parents: readonly string[]): void {
    if (parents.length === 0) throw new TopologyError(`${name} needs at least one parent`);
    for (const p of parents) {
      const parent = this.nodesByName.get(p);
      if (!parent) throw new TopologyError(`${name}: parent ${p} does not exist (add parents first)`);
      if (parent.kind === 'sink') throw new TopologyError(`${name}: a sink (${p}) cannot be a parent`);
    }
  }
}
