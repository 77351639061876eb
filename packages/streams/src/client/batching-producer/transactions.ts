import type { Kafka, Producer, ProducerBatch as KafkajsBatch, RecordMetadata, Transaction } from 'kafkajs';
import type { ProducerConfig } from '../../config/index';
import { TRANSACTION_FIRST_RETRY_MS } from '../kafkajs/kafka';
import type { TopicPartitionOffset } from '../ports';

/** The kafkajs producer behind a transactional BatchingProducer (exactly_once_v2). */
export function transactionalKafkajsProducer(
  kafka: Kafka,
  transactionalId: string,
  config: ProducerConfig,
): Producer {
  return kafka.producer({
    allowAutoTopicCreation: false,
    transactionalId,
    idempotent: true,
    // transactions need kafkajs' idempotent mode, which allows one request in flight
    maxInFlightRequests: 1,
    // kafkajs retries an idempotent producer's sends forever by default: a send that fails
    // retriably for good (a sink topic deleted: Kafka 3.9 answers every produce request with
    // UNKNOWN_TOPIC_OR_PARTITION) would never settle and its transaction never abort. The
    // retries end by the delivery timeout instead, as the Java producer's do; the first wait
    // is short (TRANSACTION_FIRST_RETRY_MS in kafkajs/kafka.ts says why).
    retry: {
      retries: retriesWithin(config.deliveryTimeoutMs, TRANSACTION_FIRST_RETRY_MS, config.retryBackoffMaxMs),
      initialRetryTime: TRANSACTION_FIRST_RETRY_MS,
      maxRetryTime: config.retryBackoffMaxMs,
    },
  });
}

/**
 * How many kafkajs retries wait at least `totalMs` in all: each wait doubles from `firstMs`
 * up to `maxMs`, and kafkajs draws each one up to 20 % shorter, so the count assumes the
 * shortest draw.
 */
export function retriesWithin(totalMs: number, firstMs: number, maxMs: number): number {
  let retries = 0;
  let waited = 0;
  for (let wait = firstMs * 0.8; waited < totalMs; wait = Math.min(wait * 2 * 0.8, maxMs)) {
    waited += wait;
    retries++;
  }
  return retries;
}

/**
 * One producer's transactions, one open at a time: begun on first use after a commit or
 * abort (a send, or a commit with offsets), ended by commit() or abort(). The caller
 * flushes before commit(): a transaction commits only records already acknowledged.
 */
export class ProducerTransactions {
  private open: Promise<Transaction> | undefined;

  constructor(private readonly producer: Producer) {}

  /**
   * kafkajs registers the transactional id (InitProducerId) only when the first transaction
   * begins, not on connect. Doing it at once completes or aborts what a previous owner of
   * the id left (a crashed instance's last transaction): only then are the changelogs and
   * the committed offsets that the task is about to read final.
   */
  async register(): Promise<void> {
    await this.current();
  }

  sendBatch(request: KafkajsBatch): Promise<RecordMetadata[]> {
    return this.current().then((t) => t.sendBatch(request));
  }

  /** Adds the consumed offsets and commits; rejects (leaving the transaction to abort()) when the broker refuses. */
  async commit(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (!this.open && offsets.length === 0) return;
    const transaction = await this.current();
    if (offsets.length) {
      const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
      for (const o of offsets)
        byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), { partition: o.partition, offset: o.offset }]);
      await transaction.sendOffsets({
        consumerGroupId: groupId,
        topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
      });
    }
    await transaction.commit();
    this.open = undefined;
  }

  /** Aborts the open transaction, if any: its records are never read by read-committed consumers. */
  async abort(): Promise<void> {
    const transaction = this.open;
    this.open = undefined;
    if (!transaction) return;
    await (await transaction).abort();
  }

  private current(): Promise<Transaction> {
    this.open ??= this.producer.transaction();
    return this.open;
  }
}
