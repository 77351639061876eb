import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The one configuration object. Names follow Kafka Streams / the Java clients in
 * camelCase (`commitIntervalMs` = `commit.interval.ms`); the package README has the
 * full mapping. Every object is strict: an unknown key is an error, never ignored.
 */

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const serde = z.custom<{ serialize: unknown; deserialize: unknown }>(
  (v) => typeof v === 'object' && v !== null && 'serialize' in v && 'deserialize' in v,
  { message: 'expected a Serde ({ serialize, deserialize })' },
);

export const producerConfigSchema = z
  .strictObject({
    /** batch.size: bytes per partition batch before it is sent. Java producer default. */
    batchSize: positiveInt.default(16_384),
    /** linger.ms: how long a batch may wait to fill. Java producer default 0 (Kafka Streams overrides to 100). */
    lingerMs: nonNegativeInt.default(0),
    /** buffer.memory: bytes buffered before the consumer is paused (back-pressure, never drops). */
    bufferMemory: positiveInt.default(33_554_432),
    /** max.in.flight.requests.per.connection */
    maxInFlightRequests: positiveInt.default(5),
    /** max.request.size */
    maxRequestSize: positiveInt.default(1_048_576),
    /** compression.type */
    compressionType: z.enum(['none', 'gzip']).default('none'),
    /** acks: all (-1) is the Java default since Kafka 3.0. */
    acks: z.union([z.literal(-1), z.literal(0), z.literal(1)]).default(-1),
    /** request.timeout.ms */
    requestTimeoutMs: positiveInt.default(30_000),
    /**
     * delivery.timeout.ms: how long a batch is retried after a retriable failure (a broker
     * that is restarting, a leader that moved) before it fails. Java producer default.
     */
    deliveryTimeoutMs: positiveInt.default(120_000),
    /** retry.backoff.ms and retry.backoff.max.ms: the first and the longest wait between retries. */
    retryBackoffMs: positiveInt.default(100),
    retryBackoffMaxMs: positiveInt.default(1_000),
  })
  .prefault({});

export const consumerConfigSchema = z
  .strictObject({
    /** session.timeout.ms (Java default since 3.0) */
    sessionTimeoutMs: positiveInt.default(45_000),
    /** heartbeat.interval.ms */
    heartbeatIntervalMs: positiveInt.default(3_000),
    /** max.poll.interval.ms (kafkajs: rebalanceTimeout) */
    maxPollIntervalMs: positiveInt.default(300_000),
    /** max.poll.records: Kafka Streams overrides the client's 500 with 1000. */
    maxPollRecords: positiveInt.default(1_000),
    /** fetch.min.bytes */
    fetchMinBytes: positiveInt.default(1),
    /** fetch.max.bytes */
    fetchMaxBytes: positiveInt.default(52_428_800),
    /** fetch.max.wait.ms */
    fetchMaxWaitMs: positiveInt.default(500),
    /** max.partition.fetch.bytes */
    maxPartitionFetchBytes: positiveInt.default(1_048_576),
  })
  .prefault({});

export const stateStoreConfigSchema = z
  .strictObject({
    /**
     * `per-segment`: one LevelDB per segment per store per task (Kafka Streams' RocksDB
     * layout, the playbook's "before"). `per-task`: one LevelDB per task, stores and
     * segments as key prefixes, with the bounded settings below.
     */
    layout: z.enum(['per-segment', 'per-task']).default('per-segment'),
    /** LevelDB write_buffer_size per instance; classic-level's default. */
    writeBufferSize: positiveInt.default(4 * 1024 * 1024),
    /** LevelDB block cache per instance; classic-level's default. */
    cacheSize: nonNegativeInt.default(8 * 1024 * 1024),
    /** LevelDB max_open_files per instance; classic-level's default. */
    maxOpenFiles: positiveInt.default(1_000),
    blockSize: positiveInt.default(4_096),
    /**
     * The record caches in front of all stores of the application in this process
     * (Kafka Streams: statestore.cache.max.bytes, 10 MiB). They serve recent windows and
     * absorb writes, which reach LevelDB and the changelog in batches at commit; the
     * default is larger than Kafka Streams' because they also stand in for what RocksDB's
     * memtables give it: reads of recent data without a call across the thread pool.
     * 0 turns the caches off. Counted in the footprint and memoryBudgetBytes.
     */
    cacheMaxBytes: nonNegativeInt.default(64 * 1024 * 1024),
    /** Process-wide budget for the footprint formula; start fails when the layout would exceed it. */
    memoryBudgetBytes: positiveInt.optional(),
  })
  .prefault({});

export const streamsConfigSchema = z.strictObject({
  /** application.id: consumer group id and prefix of internal topics. */
  applicationId: z.string().regex(/^[a-zA-Z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only'),
  /** bootstrap.servers */
  bootstrapServers: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  clientId: z.string().optional(),
  /** state.dir */
  stateDir: z.string().default(join(tmpdir(), 'kafka-streams')),
  /**
   * processing.guarantee. `exactly_once_v2`: a task's outputs, changelog records and input
   * offsets commit in one Kafka transaction (on kafkajs, one transactional producer per
   * task; see the README), consumers read committed records only, and local state that may
   * hold uncommitted writes is wiped and restored after a crash.
   */
  processingGuarantee: z.enum(['at_least_once', 'exactly_once_v2']).default('at_least_once'),
  /** commit.interval.ms: 30000 under at-least-once, 100 under exactly-once (Kafka Streams' defaults). */
  commitIntervalMs: nonNegativeInt.optional(),
  /** replication.factor of internal topics; -1 takes the broker default. */
  replicationFactor: z.number().int().default(-1),
  /** default.key.serde / default.value.serde: strings unless set. */
  defaultKeySerde: serde.optional(),
  defaultValueSerde: serde.optional(),
  /** default.deserialization.exception.handler */
  deserializationExceptionHandler: z.enum(['logAndFail', 'logAndContinue']).default('logAndFail'),
  /** processing.exception.handler */
  processingExceptionHandler: z.enum(['logAndFail', 'logAndContinue']).default('logAndFail'),
  /** Where logAndContinue writes bad records; `<applicationId>-dead-letters` by default. */
  deadLetterTopic: z.string().optional(),
  /** default.timestamp.extractor: the Kafka record's timestamp unless given. */
  timestampExtractor: z
    .custom<(record: { timestamp: number; key: unknown; value: unknown }, partitionTime: number) => number>(
      (v) => typeof v === 'function',
    )
    .optional(),
  /** windowstore.changelog.additional.retention.ms */
  windowStoreChangelogAdditionalRetentionMs: nonNegativeInt.default(86_400_000),
  /**
   * `window-plus-additional` sets retention.ms on window changelogs as Kafka Streams does;
   * `broker-default` leaves it unset (log.retention.hours, 7 days), the playbook's "before".
   */
  windowStoreChangelogRetention: z
    .enum(['window-plus-additional', 'broker-default'])
    .default('window-plus-additional'),
  /**
   * Kafka Streams' internal `__emit.interval.ms.kstreams.outer.join.spurious.results.fix__`:
   * least wall-clock time between two scans of a left/outer join's outer store for records
   * whose window closed. The TopologyTestDriver sets 0 unless given (as Kafka's does).
   */
  outerJoinEmitIntervalMs: nonNegativeInt.default(1000),
  /** How often store stats (memory, disk, segments) are sampled and emitted. */
  storeStatsIntervalMs: positiveInt.default(10_000),
  producer: producerConfigSchema,
  consumer: consumerConfigSchema,
  stateStore: stateStoreConfigSchema,
});

export type StreamsConfigInput = z.input<typeof streamsConfigSchema>;
export type StreamsConfig = Omit<z.output<typeof streamsConfigSchema>, 'commitIntervalMs'> & {
  commitIntervalMs: number;
};
export type ProducerConfig = z.output<typeof producerConfigSchema>;
export type ConsumerConfig = z.output<typeof consumerConfigSchema>;
export type StateStoreConfig = z.output<typeof stateStoreConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses and validates; the error names every bad key and why. */
export function parseConfig(input: unknown): StreamsConfig {
  const result = streamsConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.join('.') || '(root)';
      if (issue.code === 'unrecognized_keys') {
        const where = issue.path.length ? `${path}.` : '';
        return `unknown config key(s) ${issue.keys.map((k) => `"${where}${k}"`).join(', ')}`;
      }
      return `${path}: ${issue.message}`;
    });
    throw new ConfigError(`invalid streams config: ${problems.join('; ')}`);
  }
  const { data } = result;
  return {
    ...data,
    commitIntervalMs:
      data.commitIntervalMs ?? (data.processingGuarantee === 'exactly_once_v2' ? 100 : 30_000),
  };
}
