import type { RecordMetadata } from 'kafkajs';
import { partitionKey, type ProducerBatch } from './accumulator';

/**
 * The offset of the last acknowledged record per partition, from produce responses (Java's
 * RecordCollector keeps the same): the changelog offsets a checkpoint records.
 */
export class AckedOffsets {
  private readonly last = new Map<string, bigint>();

  remember(batches: readonly ProducerBatch<unknown>[], metadata: readonly RecordMetadata[]): void {
    for (const m of metadata) {
      const base = m.baseOffset ?? m.offset;
      if (base === undefined || BigInt(base) < 0n) continue;
      const batch = batches.find((b) => b.topic === m.topicName && b.partition === m.partition);
      if (!batch) continue;
      const last = BigInt(base) + BigInt(batch.records.length - 1);
      const key = partitionKey(m.topicName, m.partition);
      if (last > (this.last.get(key) ?? -1n)) this.last.set(key, last);
    }
  }

  /** Undefined before the partition's first ack (or with acks 0, whose responses carry no offset). */
  lastOf(topic: string, partition: number): string | undefined {
    return this.last.get(partitionKey(topic, partition))?.toString();
  }
}
