import { CompressionTypes, type IHeaders, type TopicMessages } from 'kafkajs';
import type { ProducerConfig } from '../../config/index';
import type { Headers } from '../../types/index';
import type { ProducerBatch } from './accumulator';

/** A record as the caller hands it over; `partition` is filled in before it is buffered. */
export interface OutgoingRecord {
  topic: string;
  partition?: number;
  key: Buffer | null;
  value: Buffer | null;
  /** Epoch milliseconds. */
  timestamp: number;
  headers?: Headers;
}

/**
 * One kafkajs sendBatch call for batches led by one broker: kafkajs turns it into one
 * Produce request (it splits per leader only when its own metadata disagrees with ours).
 * Records keep their order inside each partition, which is all Kafka orders.
 */
export function toTopicMessages(batches: ProducerBatch<OutgoingRecord>[]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const batch of batches) {
    let entry = byTopic.get(batch.topic);
    if (!entry) {
      entry = { topic: batch.topic, messages: [] };
      byTopic.set(batch.topic, entry);
    }
    for (const record of batch.records) {
      entry.messages.push({
        partition: batch.partition,
        key: record.key,
        value: record.value,
        timestamp: String(record.timestamp),
        ...(record.headers ? { headers: record.headers as IHeaders } : {}),
      });
    }
  }
  return [...byTopic.values()];
}

export function kafkajsCompression(type: ProducerConfig['compressionType']): CompressionTypes {
  return type === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
}
