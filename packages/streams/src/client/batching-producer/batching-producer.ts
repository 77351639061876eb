import type { Admin, Kafka, Producer, ProducerBatch as KafkajsBatch } from 'kafkajs';
import type { TopicPartitionOffset } from '../ports';
import type { ProducerConfig } from '../../config/index';
import type { StreamsEvents } from '../../observability/index';
import { partitionKey, RecordAccumulator, type ProducerBatch, type ReadinessInput } from './accumulator';
import { AckedOffsets } from './acked-offsets';
import { BufferMemory } from './buffer-memory';
import { DeliveryRetry } from './delivery-retry';
import { PartitionChooser } from './partition-chooser';
import { kafkajsCompression, toTopicMessages, type OutgoingRecord } from './produce-request';
import { estimateRecordSize, RECORD_BATCH_OVERHEAD } from './record-size';
import { TopicMetadataCache, type TopicLayout } from './topic-metadata';
import { ProducerTransactions, transactionalKafkajsProducer } from './transactions';

export type { OutgoingRecord } from './produce-request';

export interface BatchingProducerOptions {
  /** Names the producer in errors. */
  clientId?: string;
  /** Monotonic clock in ms; tests may inject one. */
  now?: () => number;
  /**
   * exactly_once_v2: every record goes into a transaction of this producer, begun with the
   * first send after a commit; commitTransaction() ends it with the consumed offsets.
   */
  transactionalId?: string;
}

/** Counters for benchmarks and tests; cheap to read. */
export interface BatchingProducerStats {
  /** Produce requests kafkajs put on the wire (its instrumentation events), retries included. */
  produceRequests: number;
  /** sendBatch calls this producer made (one per broker and drain). */
  sendCalls: number;
  batchesAcked: number;
  recordsAcked: number;
  recordsFailed: number;
  /** Produce requests sent again after a retriable failure. */
  retries: number;
}

/** A send waiting for metadata or buffer memory; FIFO so a partition's records keep their order. */
interface PendingSend {
  record: OutgoingRecord;
  sizeBytes: number;
  admitted: Promise<void>;
  admit: () => void;
}

/**
 * linger.ms / batch.size / buffer.memory on top of kafkajs, whose `send` goes out at
 * once. See README.md next to this file for the semantics and the mapping to Java.
 */
export class BatchingProducer {
  private readonly name: string;
  private readonly now: () => number;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly metadata: TopicMetadataCache;
  private readonly accumulator: RecordAccumulator<OutgoingRecord>;
  private readonly memory: BufferMemory;
  private readonly chooser = new PartitionChooser();
  private readonly pending: PendingSend[] = [];
  /** Batches accepted and not yet acked or failed: what flush() waits for. */
  private readonly incomplete = new Set<ProducerBatch<OutgoingRecord>>();
  /** Partitions with a batch in flight (at most one each, so retries cannot reorder). */
  private readonly muted = new Set<string>();
  private readonly inFlightByNode = new Map<number, number>();
  /** exactly_once_v2 only. */
  private readonly transactions: ProducerTransactions | undefined;
  private readonly acked = new AckedOffsets();
  private readonly retry: DeliveryRetry<OutgoingRecord>;
  private inFlightRequests = 0;
  private flushesInProgress = 0;
  private waitingForMemory = false;
  private closing = false;
  private closed = false;
  private firstError: Error | undefined;
  private drainScheduled = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private lingerDueAt = Infinity;
  private readonly counters: BatchingProducerStats = {
    produceRequests: 0,
    sendCalls: 0,
    batchesAcked: 0,
    recordsAcked: 0,
    recordsFailed: 0,
    retries: 0,
  };
  private readonly readiness: ReadinessInput = {
    sendAll: false,
    isMuted: (topic, partition) => this.muted.has(partitionKey(topic, partition)),
    leaderOf: (topic, partition) => this.metadata.leaderOf(topic, partition),
    canSendTo: (node) =>
      (this.inFlightByNode.get(node) ?? 0) < (this.transactions ? 1 : this.config.maxInFlightRequests),
  };

  constructor(
    kafka: Kafka,
    private readonly config: ProducerConfig,
    private readonly events: StreamsEvents,
    options: BatchingProducerOptions = {},
  ) {
    this.name = `producer${options.clientId ? ` ${options.clientId}` : ''}`;
    this.now = options.now ?? (() => performance.now());
    // At-least-once is not idempotent: ordering comes from one in-flight batch per partition
    // (README). Transactions need kafkajs' idempotent mode: one request in flight per broker.
    this.producer = options.transactionalId
      ? transactionalKafkajsProducer(kafka, options.transactionalId, config)
      : kafka.producer({
          allowAutoTopicCreation: false,
          idempotent: false,
          maxInFlightRequests: config.maxInFlightRequests,
        });
    this.transactions = options.transactionalId ? new ProducerTransactions(this.producer) : undefined;
    this.producer.on(this.producer.events.REQUEST, (event) => {
      if (event.payload.apiName === 'Produce') this.counters.produceRequests++;
    });
    this.admin = kafka.admin();
    this.metadata = new TopicMetadataCache(this.admin, this.now);
    this.accumulator = new RecordAccumulator({
      batchSize: config.batchSize,
      lingerMs: config.lingerMs,
      maxRequestSize: config.maxRequestSize,
    });
    this.memory = new BufferMemory(config.bufferMemory);
    this.retry = new DeliveryRetry(config);
  }

  async connect(): Promise<void> {
    await Promise.all([this.producer.connect(), this.admin.connect()]);
    await this.transactions?.register();
  }

  /**
   * Resolves once the record is in the buffer; awaiting it is the back-pressure. Delivery
   * errors (a failed request, a missing topic, a partition out of range) surface in
   * flush(); only a record that can never be sent (too large) rejects here.
   */
  send(record: OutgoingRecord): Promise<void> {
    if (this.closing) return Promise.reject(new Error(`${this.name}: send() after disconnect()`));
    const sizeBytes = estimateRecordSize(record);
    const limit = Math.min(this.config.maxRequestSize - RECORD_BATCH_OVERHEAD, this.config.bufferMemory);
    if (sizeBytes > limit) {
      return Promise.reject(
        new Error(
          `${this.name}: record for topic "${record.topic}" is ${sizeBytes} bytes, more than ` +
            `maxRequestSize (${this.config.maxRequestSize}) or bufferMemory (${this.config.bufferMemory}) allow`,
        ),
      );
    }
    let admit!: () => void;
    const admitted = new Promise<void>((resolve) => (admit = resolve));
    this.pending.push({ record, sizeBytes, admitted, admit });
    this.admitPending();
    return admitted;
  }

  /**
   * Sends everything buffered now and resolves when every record sent before the call
   * is acknowledged; rejects with the first delivery error. The error is sticky: records
   * were lost, so every later flush rejects too and the caller must not commit past them.
   */
  async flush(): Promise<void> {
    this.flushesInProgress++;
    try {
      this.scheduleDrain();
      // records still waiting for metadata or memory were sent too; FIFO: the last one admits last
      const lastPending = this.pending.at(-1);
      if (lastPending) await lastPending.admitted;
      await Promise.all([...this.incomplete].map((batch) => batch.done));
    } finally {
      this.flushesInProgress--;
    }
    if (this.firstError) throw this.firstError;
  }

  async topicError(topic: string): Promise<Error | undefined> {
    if (this.metadata.lookup(topic) === undefined) await this.metadata.fetch(topic);
    const layout = this.metadata.lookup(topic);
    return layout instanceof Error ? layout : undefined;
  }

  /** Estimated bytes of records accepted and not yet acknowledged (the buffer.memory budget). */
  bufferedBytes(): number {
    return this.memory.used;
  }

  /** The first delivery error, if any (additive: lets a caller fail fast before its next flush). */
  failure(): Error | undefined {
    return this.firstError;
  }

  stats(): BatchingProducerStats {
    return { ...this.counters };
  }

  /** Flushes, then disconnects; rejects with the delivery error if records were lost. */
  async disconnect(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    let error: unknown;
    try {
      await this.flush();
    } catch (e) {
      error = e;
    } finally {
      // a transaction still open here was never committed: abort it rather than leave
      // read-committed consumers waiting for its timeout
      await this.abortTransaction().catch(() => undefined);
      this.closed = true;
      if (this.lingerTimer) clearTimeout(this.lingerTimer);
      await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
    }
    if (error) throw error;
  }

  /** Moves sends from the FIFO into the accumulator while metadata and memory allow. */
  private admitPending(): void {
    this.waitingForMemory = false;
    let appended = false;
    while (this.pending.length > 0) {
      const head = this.pending[0]!;
      const { record } = head;
      const layout = this.metadata.lookup(record.topic);
      if (layout === undefined) {
        void this.metadata.fetch(record.topic).then(() => this.admitPending());
        break;
      }
      const partition = layout instanceof Error ? layout : this.partitionFor(record, layout, head.sizeBytes);
      if (partition instanceof Error) {
        this.pending.shift();
        this.recordFailure(partition, 1);
        head.admit();
        continue;
      }
      if (!this.memory.tryReserve(head.sizeBytes)) {
        this.waitingForMemory = true;
        this.emitBuffer();
        break;
      }
      this.pending.shift();
      const batch = this.accumulator.append(record.topic, partition, record, head.sizeBytes, this.now());
      this.incomplete.add(batch);
      appended = true;
      head.admit();
    }
    if (appended || this.waitingForMemory) this.scheduleDrain();
  }

  private partitionFor(record: OutgoingRecord, layout: TopicLayout, sizeBytes: number): number | Error {
    const count = layout.partitions.length;
    if (record.partition !== undefined) {
      if (Number.isInteger(record.partition) && record.partition >= 0 && record.partition < count) {
        return record.partition;
      }
      return new Error(
        `${this.name}: partition ${record.partition} does not exist in topic "${record.topic}" (${count} partitions)`,
      );
    }
    return this.chooser.choose(record.topic, layout.partitions, record.key, record.value, (p) =>
      this.accumulator.hasRoom(record.topic, p, sizeBytes),
    );
  }

  /**
   * The sender runs on the next turn of the event loop rather than inside send(): records
   * appended in the same turn share a request, the way Java's sender thread wakes up.
   */
  private scheduleDrain(): void {
    if (this.drainScheduled || this.closed) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.runSender();
    });
  }

  private runSender(): void {
    if (this.closed) return;
    this.readiness.sendAll = this.flushesInProgress > 0 || this.closing || this.waitingForMemory;
    for (;;) {
      const now = this.now();
      const { readyNodes, nextReadyInMs } = this.accumulator.ready(now, this.readiness);
      if (readyNodes.size === 0) {
        if (nextReadyInMs !== undefined) this.armLingerTimer(now, nextReadyInMs);
        return;
      }
      // drained partitions are muted, so this loop ends
      for (const [node, batches] of this.accumulator.drain(now, readyNodes, this.readiness)) {
        this.sendRequest(node, batches);
      }
    }
  }

  private armLingerTimer(now: number, delayMs: number): void {
    const dueAt = now + delayMs;
    if (this.lingerTimer && this.lingerDueAt <= dueAt) return;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerDueAt = dueAt;
    this.lingerTimer = setTimeout(
      () => {
        this.lingerTimer = undefined;
        this.lingerDueAt = Infinity;
        this.runSender();
      },
      Math.max(0, Math.ceil(delayMs)),
    );
  }

  private sendRequest(node: number, batches: ProducerBatch<OutgoingRecord>[]): void {
    for (const batch of batches) this.muted.add(partitionKey(batch.topic, batch.partition));
    this.inFlightByNode.set(node, (this.inFlightByNode.get(node) ?? 0) + 1);
    this.inFlightRequests++;
    this.counters.sendCalls++;
    this.emitBuffer();
    const startedAt = this.now();
    const request: KafkajsBatch = {
      topicMessages: toTopicMessages(batches),
      // a transaction needs every replica's ack (the Java producer enforces acks=all too)
      acks: this.transactions ? -1 : this.config.acks,
      timeout: this.config.requestTimeoutMs,
      compression: kafkajsCompression(this.config.compressionType),
    };
    (this.transactions?.sendBatch(request) ?? this.producer.sendBatch(request)).then(
      (metadata) => {
        this.acked.remember(batches, metadata);
        this.completeRequest(node, batches, startedAt, undefined);
      },
      (cause: unknown) => this.completeRequest(node, batches, startedAt, cause),
    );
  }

  /**
   * Flushes (every record of the transaction acknowledged), adds the consumed offsets to the
   * transaction and commits it. Rejects, leaving the transaction to abortTransaction(), when
   * a record failed or the broker refuses the commit (a fenced producer among others).
   */
  async commitTransaction(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (!this.transactions) throw new Error(`${this.name}: commitTransaction() without a transactionalId`);
    await this.flush();
    await this.transactions.commit(groupId, offsets);
  }

  /** Aborts the open transaction, if any: its records are never read by read-committed consumers. */
  async abortTransaction(): Promise<void> {
    await this.transactions?.abort();
  }

  /** The offset of the last acknowledged record of a partition; undefined before one (or with acks 0). */
  lastAckedOffset(topic: string, partition: number): string | undefined {
    return this.acked.lastOf(topic, partition);
  }

  private completeRequest(
    node: number,
    batches: ProducerBatch<OutgoingRecord>[],
    startedAt: number,
    cause: unknown,
  ): void {
    if (cause !== undefined && this.retryLater(node, batches, cause)) return;
    const latencyMs = this.now() - startedAt;
    let error: Error | undefined;
    if (cause !== undefined) {
      const topics = [...new Set(batches.map((b) => b.topic))];
      const reason = cause instanceof Error ? cause.message : String(cause);
      error = new Error(
        `${this.name}: produce request to broker ${node} for ${topics.map((t) => `"${t}"`).join(', ')} failed: ${reason}`,
        { cause },
      );
      topics.forEach((t) => this.metadata.invalidate(t));
    }
    const reportRequests = this.events.has('producer.request');
    for (const batch of batches) {
      this.muted.delete(partitionKey(batch.topic, batch.partition));
      this.incomplete.delete(batch);
      this.memory.release(batch.sizeBytes - RECORD_BATCH_OVERHEAD);
      if (error) this.recordFailure(error, batch.records.length);
      else {
        this.counters.batchesAcked++;
        this.counters.recordsAcked += batch.records.length;
      }
      if (reportRequests) {
        this.events.emit('producer.request', {
          topic: batch.topic,
          partition: batch.partition,
          records: batch.records.length,
          bytes: batch.sizeBytes,
          latencyMs,
          queueTimeMs: (batch.drainedAtMs ?? startedAt) - batch.createdAtMs,
          ...(error ? { error: error.message } : {}),
        });
      }
      batch.settle();
    }
    this.inFlightByNode.set(node, (this.inFlightByNode.get(node) ?? 1) - 1);
    this.inFlightRequests--;
    this.emitBuffer();
    // freed memory lets waiting sends in; unmuted partitions may send their next batch
    if (this.pending.length > 0) this.admitPending();
    this.scheduleDrain();
  }

  /**
   * Sends a retriable failure again after a backoff (DeliveryRetry). The batches stay muted
   * and unsettled meanwhile, so their partitions keep their order and flush() waits for
   * them. Returns false when the failure is final.
   */
  private retryLater(node: number, batches: ProducerBatch<OutgoingRecord>[], cause: unknown): boolean {
    if (this.closed) return false;
    const now = this.now();
    const backoff = this.retry.backoffFor(batches, cause, now);
    if (backoff === undefined) return false;
    for (const b of new Set(batches.map((x) => x.topic))) this.metadata.invalidate(b);
    this.inFlightByNode.set(node, (this.inFlightByNode.get(node) ?? 1) - 1);
    this.inFlightRequests--;
    this.counters.retries++;
    setTimeout(() => {
      if (this.closed) this.completeRequest(node, batches, now, cause);
      else this.sendRequest(node, batches);
    }, backoff).unref?.();
    return true;
  }

  private recordFailure(error: Error, records: number): void {
    this.firstError ??= error;
    this.counters.recordsFailed += records;
  }

  private emitBuffer(): void {
    if (!this.events.has('producer.buffer')) return;
    this.events.emit('producer.buffer', {
      bufferedBytes: this.memory.used,
      inFlightRequests: this.inFlightRequests,
    });
  }
}
