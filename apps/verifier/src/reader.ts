// first: kafkajs must load with the read_committed fix in place (see that package)
import '@streamtune/kafkajs-read-committed';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type IHeaders } from 'kafkajs';

export interface ReadRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  timestamp: number;
  headers: IHeaders;
  /** Wall clock when the verifier received it: the end of the e2e latency. */
  arrivalMs: number;
  /** It was already in the topic when the verifier started (its latency would measure the wait, not the pipeline). */
  backlog: boolean;
}

export function createKafka(brokers: string[], verbose: boolean): Kafka {
  return new Kafka({
    clientId: 'streamtune-verifier',
    brokers,
    connectionTimeout: 10_000,
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 3_000 },
    logLevel: verbose ? logLevel.WARN : logLevel.NOTHING,
  });
}

/**
 * Reads topics from the first record at or after `fromTimestamp` (earlier runs
 * on the same topics are skipped), with a throwaway consumer group that it
 * deletes on stop, and knows when it has caught up with the end of every partition.
 */
export class TopicReader {
  private consumer: Consumer | undefined;
  private readonly positions = new Map<string, bigint>();
  private readonly initialEnds = new Map<string, bigint>();
  private readonly groupId = `streamtune-verifier-${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly topics: string[],
    private readonly fromTimestamp: number,
    private readonly onRecord: (record: ReadRecord) => void,
  ) {}

  async start(): Promise<void> {
    const starts: { topic: string; partition: number; offset: string }[] = [];
    for (const topic of this.topics) {
      const ends = await withRetries(() => this.admin.fetchTopicOffsets(topic));
      const byTime = await withRetries(() =>
        this.admin.fetchTopicOffsetsByTimestamp(topic, this.fromTimestamp),
      );
      for (const e of ends) {
        const at = byTime.find((b) => b.partition === e.partition)?.offset;
        // -1: no record at or after the timestamp yet; start at the current end
        const offset = at === undefined || at === '-1' ? e.high : at;
        starts.push({ topic, partition: e.partition, offset });
        this.positions.set(`${topic}:${e.partition}`, BigInt(offset));
        this.initialEnds.set(`${topic}:${e.partition}`, BigInt(e.high));
      }
    }
    const consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false });
    this.consumer = consumer;
    await consumer.connect();
    // A transactional writer's partitions end in commit markers, which no eachBatch delivers
    // (a batch of nothing but markers or aborted records is never handed over at all). The
    // end-of-batch event carries the last offset fetched, markers included: without it the
    // position stays below the high watermark and caughtUp() never holds under exactly-once.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const id = `${payload.topic}:${payload.partition}`;
      const next = BigInt(payload.lastOffset) + 1n;
      if (next > (this.positions.get(id) ?? 0n)) this.positions.set(id, next);
    });
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const arrivalMs = Date.now();
        const id = `${batch.topic}:${batch.partition}`;
        const initialEnd = this.initialEnds.get(id) ?? 0n;
        for (const m of batch.messages) {
          const offset = BigInt(m.offset);
          // the fetch that precedes our seek, or a refetch after it, can hand out offsets already seen
          if (offset < (this.positions.get(id) ?? 0n)) continue;
          const timestamp = Number(m.timestamp);
          if (timestamp >= this.fromTimestamp) {
            this.onRecord({
              topic: batch.topic,
              partition: batch.partition,
              offset: m.offset,
              key: m.key?.toString() ?? null,
              value: m.value,
              timestamp,
              headers: m.headers ?? {},
              arrivalMs,
              backlog: offset < initialEnd,
            });
          }
          this.positions.set(id, offset + 1n);
        }
      },
    });
    for (const s of starts) consumer.seek(s);
  }

  /** True when every partition has been read up to its current end. */
  async caughtUp(): Promise<boolean> {
    for (const topic of this.topics) {
      for (const e of await this.admin.fetchTopicOffsets(topic)) {
        if ((this.positions.get(`${topic}:${e.partition}`) ?? 0n) < BigInt(e.high)) return false;
      }
    }
    return true;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.admin.deleteGroups([this.groupId]).catch(() => undefined);
  }
}

/** Topics the generator just created may not have leaders everywhere yet: retry what Kafka calls retriable. */
async function withRetries<T>(action: () => Promise<T>, attempts = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await action();
    } catch (err) {
      if (i >= attempts || !(err as { retriable?: boolean }).retriable) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
