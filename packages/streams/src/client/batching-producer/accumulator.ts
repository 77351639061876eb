import { RECORD_BATCH_OVERHEAD } from './record-size';

/**
 * The record accumulator: per topic-partition queues of batches, and the rules of the
 * Java producer's RecordAccumulator for when a batch may go and what goes together.
 * Pure: no kafkajs, no timers; the caller passes the clock reading in.
 */

export interface AccumulatorConfig {
  /** batch.size: a batch stops taking records when the next one would not fit. */
  batchSize: number;
  /** linger.ms: how long a batch's first record may wait for company. */
  lingerMs: number;
  /** max.request.size: bound on the batches drained into one request (the first always goes). */
  maxRequestSize: number;
}

/** Records of one partition that travel together; `done` settles once it is acked or failed. */
export class ProducerBatch<R> {
  readonly records: R[] = [];
  sizeBytes = RECORD_BATCH_OVERHEAD;
  /** No more appends: the next record did not fit, or the batch was drained. */
  closed = false;
  drainedAtMs: number | undefined;
  readonly done: Promise<void>;
  private settleDone!: () => void;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly createdAtMs: number,
  ) {
    this.done = new Promise((resolve) => (this.settleDone = resolve));
  }

  /** Called once, after the ack or the final failure; never rejects so waiters only wait. */
  settle(): void {
    this.settleDone();
  }
}

export interface ReadinessInput {
  /**
   * Every batch counts as ready: a flush is in progress, the producer is closing, or a
   * sender waits for buffer memory (Java: flushInProgress, closed, exhausted).
   */
  sendAll: boolean;
  /** Partitions with a batch in flight; they wait so that retries cannot reorder them. */
  isMuted(topic: string, partition: number): boolean;
  /** Leader broker of the partition (-1 if unknown): requests are grouped per broker. */
  leaderOf(topic: string, partition: number): number;
  /** False when the broker already has its maximum of requests in flight. */
  canSendTo(node: number): boolean;
}

export interface Readiness {
  /** Brokers that have at least one sendable batch and room for another request. */
  readyNodes: Set<number>;
  /** When the earliest lingering batch becomes ready, relative to now; undefined if none lingers. */
  nextReadyInMs: number | undefined;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

export class RecordAccumulator<R> {
  private readonly queues = new Map<string, ProducerBatch<R>[]>();
  /** Per broker, where the next drain starts, so a size-bounded request does not starve the last partitions. */
  private readonly drainStart = new Map<number, number>();

  constructor(private readonly config: AccumulatorConfig) {}

  /** Appends to the partition's open batch, or opens a new one when the record does not fit. */
  append(topic: string, partition: number, record: R, sizeBytes: number, nowMs: number): ProducerBatch<R> {
    const key = partitionKey(topic, partition);
    let queue = this.queues.get(key);
    if (!queue) {
      queue = [];
      this.queues.set(key, queue);
    }
    let batch = queue.at(-1);
    if (batch && !batch.closed && batch.sizeBytes + sizeBytes > this.config.batchSize) batch.closed = true;
    if (!batch || batch.closed) {
      batch = new ProducerBatch<R>(topic, partition, nowMs);
      queue.push(batch);
    }
    batch.records.push(record);
    batch.sizeBytes += sizeBytes;
    // a record bigger than batch.size gets a batch of its own, as in Java
    if (batch.sizeBytes >= this.config.batchSize) batch.closed = true;
    return batch;
  }

  /** True when a record of this size would join the partition's open batch rather than start one. */
  hasRoom(topic: string, partition: number, sizeBytes: number): boolean {
    const batch = this.queues.get(partitionKey(topic, partition))?.at(-1);
    return !!batch && !batch.closed && batch.sizeBytes + sizeBytes <= this.config.batchSize;
  }

  /** Which brokers have something to send now, and when to look again for lingering batches. */
  ready(nowMs: number, input: ReadinessInput): Readiness {
    const readyNodes = new Set<number>();
    let nextReadyInMs: number | undefined;
    for (const queue of this.queues.values()) {
      const head = queue[0];
      if (!head || input.isMuted(head.topic, head.partition)) continue;
      const waited = nowMs - head.createdAtMs;
      const sendable = input.sendAll || queue.length > 1 || head.closed || waited >= this.config.lingerMs;
      if (sendable) {
        const node = input.leaderOf(head.topic, head.partition);
        if (input.canSendTo(node)) readyNodes.add(node);
      } else {
        const remaining = this.config.lingerMs - waited;
        if (nextReadyInMs === undefined || remaining < nextReadyInMs) nextReadyInMs = remaining;
      }
    }
    return { readyNodes, nextReadyInMs };
  }

  /**
   * Takes the head batch of every unmuted partition led by a ready broker, as Java's
   * sender does: once a broker gets a request, partitions still lingering ride along.
   * One batch per partition per request; the request stops growing at maxRequestSize.
   */
  drain(
    nowMs: number,
    readyNodes: Set<number>,
    input: Pick<ReadinessInput, 'isMuted' | 'leaderOf'>,
  ): Map<number, ProducerBatch<R>[]> {
    const byNode = new Map<number, ProducerBatch<R>[][]>();
    for (const queue of this.queues.values()) {
      const head = queue[0];
      if (!head || input.isMuted(head.topic, head.partition)) continue;
      const node = input.leaderOf(head.topic, head.partition);
      if (!readyNodes.has(node)) continue;
      const list = byNode.get(node) ?? [];
      list.push(queue);
      byNode.set(node, list);
    }
    const requests = new Map<number, ProducerBatch<R>[]>();
    for (const [node, queues] of byNode) {
      const start = (this.drainStart.get(node) ?? 0) % queues.length;
      const batches: ProducerBatch<R>[] = [];
      let bytes = 0;
      let taken = 0;
      for (; taken < queues.length; taken++) {
        const queue = queues[(start + taken) % queues.length]!;
        const head = queue[0]!;
        if (batches.length > 0 && bytes + head.sizeBytes > this.config.maxRequestSize) break;
        queue.shift();
        head.closed = true;
        head.drainedAtMs = nowMs;
        batches.push(head);
        bytes += head.sizeBytes;
      }
      this.drainStart.set(node, start + taken);
      requests.set(node, batches);
    }
    for (const [key, queue] of this.queues) if (queue.length === 0) this.queues.delete(key);
    return requests;
  }

  /** Batches waiting in the accumulator (not drained yet). */
  batchCount(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.length;
    return count;
  }
}
