import type { Headers, TaskId } from '../../types/index';

/** A record as it comes off (or goes onto) a topic partition: bytes, not yet typed. */
export interface RawRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
  readonly offset: string;
}

export interface OutgoingRecord {
  readonly topic: string;
  /** Omitted: the producer partitions by the key's murmur2 hash, as the Java client. */
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/**
 * Where sinks send records (Kafka Streams' RecordCollector). `send` resolves when the
 * record is accepted (awaiting it is the back-pressure); acks are awaited by the commit.
 */
export interface RecordCollector {
  send(record: OutgoingRecord): Promise<void>;
}

export type FailureKind = 'deserialization' | 'processing';

export interface FailedRecord {
  readonly taskId: TaskId;
  readonly topic: string;
  readonly partition: number;
  readonly raw: RawRecord;
}

/**
 * Decides what happens to a record that failed: resolve to skip it (after dead-lettering
 * it), throw to stop the task (logAndFail). The record counts as processed once this resolves.
 */
export interface RecordFailureHandler {
  onFailure(kind: FailureKind, record: FailedRecord, error: Error): Promise<void>;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export function tpKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}
