import type { ChangelogReader } from '../restore/changelog-reader';
import type { Headers } from '../types/index';

/**
 * What the runtime needs from a Kafka client. kafkajs implements these in ./kafkajs/;
 * a faster client can replace it behind the same ports. Nothing here names kafkajs.
 */

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  /** For commits: the next offset to consume. */
  readonly offset: string;
}

export interface FetchedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
  readonly offset: string;
}

export interface FetchedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly FetchedRecord[];
  /** The partition's high watermark at fetch time (for lag). */
  readonly highWatermark: string;
  readonly bytes: number;
}

/** Thrown by BatchControl.heartbeat() when the group started a rebalance: the generation is about to end. */
export class RebalanceInProgressError extends Error {
  override readonly name = 'RebalanceInProgressError';
}

export interface BatchControl {
  /** Keeps the membership alive during long work; throws RebalanceInProgressError when the group rebalances. */
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  /** True when a seek is pending for this partition: the batch is outdated. */
  isStale(): boolean;
}

export interface ConsumerListener {
  /**
   * A fetched batch. Resolve with the last offset taken (the fetch position moves past it),
   * or null to have the batch fetched again later. While this is pending no other batch is
   * delivered, so long waits must call `control.heartbeat()`.
   */
  onBatch(batch: FetchedBatch, control: BatchControl): Promise<string | null>;
  /** The group is rebalancing and this member is about to rejoin (synchronous; no I/O possible). */
  onRevoking(): void;
  /**
   * Joined a generation with this assignment. Synchronous so that seek/pause take effect
   * before the first fetch of the generation.
   */
  onAssigned(partitions: readonly TopicPartition[]): void;
  /** The consumer stopped for good. */
  onCrash(error: Error): void;
}

export interface ConsumerPort {
  connect(): Promise<void>;
  subscribe(topics: readonly string[]): Promise<void>;
  run(listener: ConsumerListener): Promise<void>;
  /** Commits with the current generation; rejects if the generation has ended. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Next fetch of the partition starts at `offset` (within the current generation). */
  seek(partition: TopicPartition, offset: string): void;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Stops fetching and leaves the group. */
  disconnect(): Promise<void>;
}

export interface ProducedRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers?: Headers;
}

export interface ProducerPort {
  connect(): Promise<void>;
  /** Resolves when the record is buffered: awaiting it is the back-pressure. */
  send(record: ProducedRecord): Promise<void>;
  /** Resolves when every record sent so far is acknowledged; rejects with the first send error. */
  flush(): Promise<void>;
  /**
   * The offset of the last acknowledged record of a partition, when the producer learns
   * it from the broker's responses; without it the runtime asks the broker.
   */
  lastAckedOffset?(topic: string, partition: number): string | undefined;
  /**
   * exactly_once_v2 (a producer made by ClientFactory.transactionalProducer): flushes, adds
   * the offsets to the open transaction for the group and commits it.
   */
  commitTransaction?(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  abortTransaction?(): Promise<void>;
  bufferedBytes(): number;
  /**
   * Why records for `topic` cannot be sent (it does not exist, it is not authorised), or
   * undefined when they can; asks the broker when it does not know yet.
   */
  topicError?(topic: string): Promise<Error | undefined>;
  /** The first delivery error, if records were lost: the producer cannot be used to commit again. */
  failure?(): Error | undefined;
  disconnect(): Promise<void>;
}

export interface NewTopic {
  readonly topic: string;
  readonly partitions: number;
  /** -1: the broker's default. */
  readonly replicationFactor: number;
  readonly config: Readonly<Record<string, string>>;
}

export interface AdminPort {
  connect(): Promise<void>;
  /** Partition counts of the topics that exist; missing topics are absent from the map. */
  partitionCounts(topics: readonly string[]): Promise<Map<string, number>>;
  /** Creates the topics that do not exist yet; existing ones are left alone. */
  createTopics(topics: readonly NewTopic[]): Promise<void>;
  /** High watermark (next offset to be written) of each partition. */
  highWatermarks(topic: string): Promise<Map<number, string>>;
  /** The group's committed offsets of a topic's partitions (partitions without one are absent). */
  committedOffsets?(groupId: string, topic: string): Promise<Map<number, string>>;
  disconnect(): Promise<void>;
}

/** Groups partitions into tasks for the assignor: partitions with equal task keys go to one member. */
export type TaskKeyOf = (topic: string, partition: number) => string;

export interface ClientFactory {
  consumer(options: { groupId: string; taskKeyOf: TaskKeyOf }): ConsumerPort;
  producer(): ProducerPort;
  /** exactly_once_v2: one transactional producer per task, fenced by its transactional id. */
  transactionalProducer?(transactionalId: string): ProducerPort;
  admin(): AdminPort;
  /** How restore reads changelogs; absent: no restore (stores start empty). */
  changelogReader?(): ChangelogReader;
}

/**
 * Whether a client failure is worth trying again: an error the broker or the client marks
 * retriable (`retriable: true`), anywhere in its cause chain. kafkajs wraps the last retriable error in a
 * non-retriable one when its own retries run out (a connection refused while a broker
 * restarts ends as "KafkaJSNonRetriableError: Connection error"), and that is still a
 * broker that may come back.
 */
export function isRetriableFailure(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 8; depth++) {
    if ((e as { retriable?: unknown }).retriable === true) return true;
    e =
      (e as { cause?: unknown; originalError?: unknown }).cause ??
      (e as { originalError?: unknown }).originalError;
  }
  return false;
}
