import type { ProcessorSupplier } from '../processor/api';
import type { Deserializer, Serializer } from '../serdes/serde';
import type { Headers, RecordMetadata } from '../types/index';

/**
 * A topic as the topology names it. Internal topics (repartition) are named without the
 * application id; the runtime prefixes `<applicationId>-`, as Kafka Streams does, so one
 * topology can run under several application ids.
 */
export interface TopicRef {
  readonly name: string;
  readonly internal: boolean;
}

/** Picks a sink's topic per record (Kafka Streams' TopicNameExtractor). */
export type TopicNameExtractor<K = unknown, V = unknown> = (
  key: K,
  value: V,
  recordContext: RecordMetadata | null,
) => string;

/** Extracts a record's timestamp; `partitionTime` is the largest timestamp seen on its partition (-1 before any). */
export type TimestampExtractor = (
  record: { topic: string; timestamp: number; key: unknown; value: unknown; headers: Headers },
  partitionTime: number,
) => number;

export interface SourceNode {
  readonly kind: 'source';
  readonly name: string;
  readonly topics: readonly TopicRef[];
  readonly keySerde: Deserializer<unknown> | undefined;
  readonly valueSerde: Deserializer<unknown> | undefined;
  readonly timestampExtractor: TimestampExtractor | undefined;
}

export interface ProcessorNode {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
  readonly parents: readonly string[];
  /** Mutable: stores may be connected after the processor was added. */
  readonly stores: string[];
}

export interface SinkNode {
  readonly kind: 'sink';
  readonly name: string;
  readonly parents: readonly string[];
  readonly topic: TopicRef | TopicNameExtractor;
  readonly keySerde: Serializer<unknown> | undefined;
  readonly valueSerde: Serializer<unknown> | undefined;
}

export type TopologyNode = SourceNode | ProcessorNode | SinkNode;

/** A topic the runtime creates for the topology (repartition topics). */
export interface InternalTopicSpec {
  /** Without the application id prefix, e.g. `KSTREAM-REPARTITION-0000000003-repartition`. */
  readonly name: string;
  /** Fixed partition count; undefined: the largest partition count of the upstream sub-topology's sources. */
  readonly partitions: number | undefined;
  readonly config: Readonly<Record<string, string>>;
}

export function isTopicRef(topic: TopicRef | TopicNameExtractor): topic is TopicRef {
  return typeof topic !== 'function';
}

/** The name a topic has on the broker. */
export function resolveTopicName(applicationId: string, topic: TopicRef): string {
  return topic.internal ? `${applicationId}-${topic.name}` : topic.name;
}
