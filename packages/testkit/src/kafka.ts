// first: kafkajs must load with the read_committed fix in place (see that package)
import '@streamtune/kafkajs-read-committed';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin, type IHeaders, type ITopicConfig } from 'kafkajs';

/** The bootstrap servers of this test run's broker (set by the global setup, or by the user). */
export function kafkaBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    throw new Error(
      'testkit: KAFKA_BROKERS is not set; run integration tests through vitest (its global setup starts a broker) or set KAFKA_BROKERS',
    );
  }
  return brokers.split(',');
}

export function testKafka(clientId = 'streamtune-test', brokers: string[] = kafkaBrokers()): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.ERROR });
}

/** A name no other test or run uses: `<base>-<random>`, safe as a topic or group id. */
export function uniqueName(base: string): string {
  return `${base.replace(/[^a-zA-Z0-9._-]/g, '-')}-${randomBytes(4).toString('hex')}`;
}

export interface TestRecord {
  key: string | Buffer | null;
  value: string | Buffer | null;
  partition?: number;
  timestamp?: number;
  headers?: IHeaders;
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  timestamp: number;
  headers: Record<string, string>;
}

export interface ConsumeOptions {
  timeoutMs?: number;
  /** Group id; a unique one by default. */
  groupId?: string;
}

/**
 * Topics (and consumer groups) one test owns. Create through it, and
 * `cleanup()` deletes all of them.
 */
export class TestTopics {
  private readonly kafka: Kafka;
  private readonly created = new Set<string>();
  private readonly groups = new Set<string>();
  private adminClient: Admin | undefined;

  /** `brokers`: a broker of the test's own (default: the run's, KAFKA_BROKERS). */
  constructor(
    private readonly prefix = 'test',
    brokers?: string[],
  ) {
    this.kafka = testKafka(`testkit-${prefix}`, brokers);
  }

  name(base: string): string {
    return uniqueName(`${this.prefix}-${base}`);
  }

  groupId(base = 'group'): string {
    const id = this.name(base);
    this.groups.add(id);
    return id;
  }

  async admin(): Promise<Admin> {
    if (!this.adminClient) {
      this.adminClient = this.kafka.admin();
      await this.adminClient.connect();
    }
    return this.adminClient;
  }

  async create(
    names: string | string[],
    partitions = 1,
    configEntries: Record<string, string> = {},
  ): Promise<void> {
    const list = Array.isArray(names) ? names : [names];
    const topics: ITopicConfig[] = list.map((topic) => ({
      topic,
      numPartitions: partitions,
      replicationFactor: 1,
      configEntries: Object.entries(configEntries).map(([name, value]) => ({ name, value })),
    }));
    const admin = await this.admin();
    list.forEach((t) => this.created.add(t));
    // On a busy broker the leader wait can fail with a retriable error although the topics
    // were created; then wait for their metadata instead of failing the test.
    try {
      await admin.createTopics({ topics, waitForLeaders: true });
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true) throw error;
    }
    // "created" is not "usable": a loaded KRaft broker answers metadata and ListOffsets for
    // a new topic only a moment later, and clients that ask too early fail.
    await this.waitForMetadata(list, partitions);
  }

  private async waitForMetadata(topics: string[], partitions: number, timeoutMs = 30_000): Promise<void> {
    const admin = await this.admin();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { topics: found } = await admin.fetchTopicMetadata({ topics });
        if (
          found.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0))
        )
          return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline)
        throw new Error(`testkit: topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Registers a topic someone else created (an app's internal topics), so cleanup deletes it. */
  own(...topics: string[]): void {
    topics.forEach((t) => this.created.add(t));
  }

  async produce(topic: string, records: TestRecord[]): Promise<void> {
    const producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: records.map((r) => ({
          key: r.key,
          value: r.value,
          ...(r.partition !== undefined ? { partition: r.partition } : {}),
          ...(r.timestamp !== undefined ? { timestamp: String(r.timestamp) } : {}),
          ...(r.headers ? { headers: r.headers } : {}),
        })),
      });
    } finally {
      await producer.disconnect();
    }
  }

  /**
   * Reads `topic` from the beginning until `done(records so far)` holds.
   * On timeout the error lists what did arrive, which is what one needs to debug.
   */
  async consumeUntil(
    topic: string,
    done: (records: ConsumedRecord[]) => boolean,
    options: ConsumeOptions = {},
  ): Promise<ConsumedRecord[]> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const groupId = options.groupId ?? this.groupId(`consume-${topic}`);
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const records: ConsumedRecord[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          const shown = records
            .slice(0, 20)
            .map((r) => `${r.partition}@${r.offset} ${r.key}=${truncate(r.value)}`);
          reject(
            new Error(
              `testkit: condition on ${topic} not met within ${timeoutMs} ms; ${records.length} record(s) arrived` +
                (shown.length ? `:\n  ${shown.join('\n  ')}${records.length > 20 ? '\n  …' : ''}` : ''),
            ),
          );
        }, timeoutMs);
        const check = () => {
          if (done(records)) {
            clearTimeout(timer);
            resolve();
          }
        };
        check();
        void consumer.run({
          eachMessage: async ({ topic: t, partition, message }) => {
            records.push({
              topic: t,
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              value: message.value?.toString() ?? null,
              timestamp: Number(message.timestamp),
              headers: Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? '']),
              ),
            });
            check();
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    return records;
  }

  async cleanup(): Promise<void> {
    const admin = await this.admin();
    const existing = new Set(await admin.listTopics());
    const topics = [...this.created].filter((t) => existing.has(t));
    if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
    if (this.groups.size) await admin.deleteGroups([...this.groups]).catch(() => undefined);
    await admin.disconnect();
    this.adminClient = undefined;
  }
}

function truncate(value: string | null): string {
  if (value === null) return 'null';
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}
