import { retryTransient } from '../kafkajs/transient-retry';
import type { Admin, PartitionMetadata } from 'kafkajs';

/**
 * Partition count and leaders per topic, cached: the partitioner needs the count and the
 * sender groups batches per leader broker. Refreshed lazily after metadataMaxAgeMs
 * (Java's metadata.max.age.ms, 5 minutes) and whenever a request for the topic fails.
 */

export interface TopicLayout {
  partitions: PartitionMetadata[];
  leaders: Map<number, number>;
}

type Entry =
  | { kind: 'ready'; layout: TopicLayout; fetchedAtMs: number }
  | { kind: 'failed'; error: Error; fetchedAtMs: number };

/** A missing topic is retried at most this often, so a stream of sends to it does not flood the broker. */
const FAILURE_TTL_MS = 1_000;
const METADATA_MAX_AGE_MS = 300_000;

export class TopicMetadataCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly admin: Admin,
    private readonly now: () => number,
  ) {}

  /** The cached layout or failure, or undefined when a fetch is needed (see `fetch`). */
  lookup(topic: string): TopicLayout | Error | undefined {
    const entry = this.entries.get(topic);
    if (!entry) return undefined;
    const age = this.now() - entry.fetchedAtMs;
    if (entry.kind === 'failed') return age < FAILURE_TTL_MS ? entry.error : undefined;
    // a stale layout is still good enough to route on while a refresh runs in the background
    if (age >= METADATA_MAX_AGE_MS) void this.fetch(topic);
    return entry.layout;
  }

  leaderOf(topic: string, partition: number): number {
    const entry = this.entries.get(topic);
    return entry?.kind === 'ready' ? (entry.layout.leaders.get(partition) ?? -1) : -1;
  }

  /** Forgets a topic after a failed request, so the next send sees fresh leaders and partitions. */
  invalidate(topic: string): void {
    this.entries.delete(topic);
  }

  /** One fetch per topic at a time; the promise never rejects (the failure is cached instead). */
  fetch(topic: string): Promise<void> {
    const running = this.inFlight.get(topic);
    if (running) return running;
    const fetching = retryTransient(`metadata of ${topic}`, () =>
      this.admin.fetchTopicMetadata({ topics: [topic] }),
    )
      .then(({ topics }) => {
        const partitions = [...(topics.find((t) => t.name === topic)?.partitions ?? [])].sort(
          (a, b) => a.partitionId - b.partitionId,
        );
        if (partitions.length === 0) throw new Error('no partitions in the metadata response');
        const leaders = new Map(partitions.map((p) => [p.partitionId, p.leader]));
        this.entries.set(topic, { kind: 'ready', layout: { partitions, leaders }, fetchedAtMs: this.now() });
      })
      .catch((cause: unknown) => {
        const reason = cause instanceof Error ? cause.message : String(cause);
        const error = new Error(`producer: cannot send to topic "${topic}": ${reason}`, { cause });
        this.entries.set(topic, { kind: 'failed', error, fetchedAtMs: this.now() });
      })
      .finally(() => this.inFlight.delete(topic));
    this.inFlight.set(topic, fetching);
    return fetching;
  }
}
