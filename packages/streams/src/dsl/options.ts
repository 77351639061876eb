import type { Serde } from '../serdes/serde';
import type { TimestampExtractor } from '../topology/nodes';

/** How a stream reads its topics (Kafka Streams' Consumed). Serdes default to the config's. */
export interface Consumed<K, V> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  timestampExtractor?: TimestampExtractor;
  /** The source node's name instead of a generated KSTREAM-SOURCE-… */
  named?: string;
}

/** How a stream writes a topic (Kafka Streams' Produced). */
export interface Produced<K, V> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  named?: string;
}

/** Kafka Streams' Repartitioned. */
export interface Repartitioned<K, V> {
  /** Names the topic `<applicationId>-<name>-repartition` and its nodes; generated when absent. */
  name?: string;
  /** Partitions of the repartition topic; by default the upstream sub-topology's source partition count. */
  numberOfPartitions?: number;
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
}
