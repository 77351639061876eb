import { retryTransient } from './transient-retry';
import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { StreamsConfig } from '../../config/schema';
import type { Headers } from '../../types/index';
import {
  RebalanceInProgressError,
  type ConsumerListener,
  type ConsumerPort,
  type FetchedRecord,
  type TaskKeyOf,
  type TopicPartition,
  type TopicPartitionOffset,
} from '../ports';
import { asBrokerUnavailable } from './broker-gone';
import { taskAssignor } from './task-assignor';

/**
 * The consumer port on kafkajs. kafkajs has no revocation callback and no manual
 * assignment, so:
 * - the fetch position is kafkajs' "resolved offset": a batch is resolved once buffered,
 *   while commits are explicit (autoCommit off) and only name processed offsets;
 * - a rebalance is seen either by the runtime's own heartbeat() inside onBatch (it can
 *   still commit with the ending generation: RebalanceInProgressError) or by kafkajs'
 *   runner (REBALANCING event: too late to commit, onRevoking just stops processing);
 * - GROUP_JOIN gives the new assignment before the generation's first fetch, so seek()
 *   and pause() called from onAssigned apply to it.
 */
export class KafkajsConsumer implements ConsumerPort {
  private readonly consumer: Consumer;
  private owned: string[] = [];
  private running = false;

  constructor(
    kafka: Kafka,
    private readonly config: StreamsConfig,
    groupId: string,
    private readonly taskKeyOf: TaskKeyOf,
  ) {
    const c = config.consumer;
    this.consumer = kafka.consumer({
      groupId,
      partitionAssigners: [taskAssignor(taskKeyOf, () => this.owned)],
      sessionTimeout: c.sessionTimeoutMs,
      heartbeatInterval: c.heartbeatIntervalMs,
      rebalanceTimeout: c.maxPollIntervalMs,
      minBytes: c.fetchMinBytes,
      maxBytes: c.fetchMaxBytes,
      maxWaitTimeInMs: c.fetchMaxWaitMs,
      maxBytesPerPartition: c.maxPartitionFetchBytes,
      allowAutoTopicCreation: false,
    });
  }

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  async subscribe(topics: readonly string[]): Promise<void> {
    // auto.offset.reset=earliest, Kafka Streams' default
    // a topic created a moment ago (internal topics) may not be in every broker's metadata yet
    await retryTransient('subscribe', () =>
      this.consumer.subscribe({ topics: [...topics], fromBeginning: true }),
    );
  }

  async run(listener: ConsumerListener): Promise<void> {
    const { GROUP_JOIN, REBALANCING, CRASH } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (event) => {
      const partitions: TopicPartition[] = [];
      for (const [topic, list] of Object.entries(event.payload.memberAssignment)) {
        for (const partition of list) partitions.push({ topic, partition });
      }
      this.owned = [...new Set(partitions.map((p) => this.taskKeyOf(p.topic, p.partition)))];
      listener.onAssigned(partitions);
    });
    this.consumer.on(REBALANCING, () => listener.onRevoking());
    this.consumer.on(CRASH, (event) => {
      if (!event.payload.restart) listener.onCrash(asBrokerUnavailable(event.payload.error) as Error);
    });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // batches of different partitions may be delivered while one waits for buffer space
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        let bytes = 0;
        const records: FetchedRecord[] = batch.messages.map((m) => {
          bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
          return toRecord(m);
        });
        const last = await listener.onBatch(
          {
            topic: batch.topic,
            partition: batch.partition,
            records,
            highWatermark: batch.highWatermark,
            bytes,
          },
          {
            heartbeat: async () => {
              try {
                await heartbeat();
              } catch (e) {
                if ((e as { type?: string }).type === 'REBALANCE_IN_PROGRESS') {
                  throw new RebalanceInProgressError(`group is rebalancing: ${(e as Error).message}`, {
                    cause: e,
                  });
                }
                throw e;
              }
            },
            isRunning: () => this.running && isRunning(),
            isStale,
          },
        );
        if (last !== null) resolveOffset(last);
      },
    });
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.consumer
      .commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })))
      .catch((e: unknown) => {
        throw asBrokerUnavailable(e);
      });
  }

  seek(tp: TopicPartition, offset: string): void {
    this.consumer.seek({ topic: tp.topic, partition: tp.partition, offset });
  }

  pause(partitions: readonly TopicPartition[]): void {
    if (partitions.length)
      this.consumer.pause(partitions.map((p) => ({ topic: p.topic, partitions: [p.partition] })));
  }

  resume(partitions: readonly TopicPartition[]): void {
    if (partitions.length)
      this.consumer.resume(partitions.map((p) => ({ topic: p.topic, partitions: [p.partition] })));
  }

  async disconnect(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
  }
}

function toRecord(m: KafkaMessage): FetchedRecord {
  return {
    key: m.key,
    value: m.value,
    timestamp: Number(m.timestamp),
    headers: toHeaders(m.headers),
    offset: m.offset,
  };
}

function toHeaders(headers: IHeaders | undefined): Headers {
  const out: Headers = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (v === undefined) continue;
    out[name] = typeof v === 'string' ? Buffer.from(v) : v;
  }
  return out;
}
