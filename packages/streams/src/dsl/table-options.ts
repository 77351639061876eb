import type { Serde } from '../serdes/serde';

/** Kafka Streams' Materialized: the store behind a table or an aggregation. */
export interface Materialized<K, V> {
  /** The store's name (and so its changelog's); makes the table queryable. Generated when absent. */
  storeName?: string;
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  /** Default true: the store writes a changelog topic. */
  loggingEnabled?: boolean;
  /** Extra changelog topic configs. */
  logConfig?: Record<string, string>;
  /** Windowed stores: how long windows are kept (default: window size + grace, sliding: 2 x difference + grace). */
  retentionMs?: number;
}

/** Kafka Streams' Grouped: serdes and the name of the repartition topic of a grouping. */
export interface Grouped<K, V> {
  /** Names the repartition topic `<applicationId>-<name>-repartition` and its nodes. */
  name?: string;
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
}

/** Kafka Streams' Suppressed.BufferConfig; only an unbounded buffer is supported. */
export interface BufferConfig {
  readonly kind: 'unbounded';
}

export const BufferConfig = {
  unbounded(): BufferConfig {
    return { kind: 'unbounded' };
  },
};

/** Kafka Streams' Suppressed: what KTable#suppress holds back. */
export interface Suppressed {
  readonly kind: 'untilWindowCloses';
  readonly bufferConfig: BufferConfig;
  readonly name?: string;
  withName(name: string): Suppressed;
}

function untilWindowCloses(bufferConfig: BufferConfig, name?: string): Suppressed {
  return {
    kind: 'untilWindowCloses',
    bufferConfig,
    ...(name !== undefined ? { name } : {}),
    withName: (n: string) => untilWindowCloses(bufferConfig, n),
  };
}

export const Suppressed = {
  /** Only the final result of each window, once stream time passes its end + grace. */
  untilWindowCloses(bufferConfig: BufferConfig = BufferConfig.unbounded()): Suppressed {
    return untilWindowCloses(bufferConfig);
  },
};
