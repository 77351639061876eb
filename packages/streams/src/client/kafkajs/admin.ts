import { retryTransient } from './transient-retry';
import type { Admin, Kafka } from 'kafkajs';
import type { AdminPort, NewTopic } from '../ports';

export class KafkajsAdmin implements AdminPort {
  private readonly admin: Admin;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const existing = new Set(await this.admin.listTopics());
    const present = [...new Set(topics)].filter((t) => existing.has(t));
    const counts = new Map<string, number>();
    if (present.length === 0) return counts;
    const { topics: metadata } = await retryTransient(`metadata of ${present.join(', ')}`, () =>
      this.admin.fetchTopicMetadata({ topics: present }),
    );
    for (const t of metadata) counts.set(t.name, t.partitions.length);
    return counts;
  }

  async createTopics(topics: readonly NewTopic[]): Promise<void> {
    if (topics.length === 0) return;
    // A retriable error (the leader wait racing the broker's metadata) is retried; on a
    // retry the topics usually exist already, which counts as success.
    await retryTransient(`create ${topics.map((t) => t.topic).join(', ')}`, async () => {
      try {
        await this.admin.createTopics({
          waitForLeaders: true,
          topics: topics.map((t) => ({
            topic: t.topic,
            numPartitions: t.partitions,
            replicationFactor: t.replicationFactor,
            configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
          })),
        });
      } catch (e) {
        // another instance of the application may have created them first
        const errors = (e as { errors?: Array<{ type?: string }> }).errors;
        if (!errors || !errors.every((err) => err.type === 'TOPIC_ALREADY_EXISTS')) throw e;
      }
    });
    // Created is not yet usable: a loaded broker answers ListOffsets for a new topic a moment
    // later, and the consumer, producer and restore all start by asking.
    for (const t of topics) {
      await retryTransient(`offsets of new topic ${t.topic}`, () => this.admin.fetchTopicOffsets(t.topic));
    }
  }

  async highWatermarks(topic: string): Promise<Map<number, string>> {
    const offsets = await retryTransient(`end offsets of ${topic}`, () =>
      this.admin.fetchTopicOffsets(topic),
    );
    return new Map(offsets.map((o) => [o.partition, o.high]));
  }

  async committedOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
    const [found] = await retryTransient(`committed offsets of ${groupId} on ${topic}`, () =>
      this.admin.fetchOffsets({ groupId, topics: [topic] }),
    );
    return new Map(
      (found?.partitions ?? []).filter((p) => BigInt(p.offset) >= 0n).map((p) => [p.partition, p.offset]),
    );
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }
}
