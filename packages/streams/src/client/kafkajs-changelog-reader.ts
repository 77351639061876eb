import { retryTransient } from './kafkajs/transient-retry';
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { ChangelogReader } from '../restore/changelog-reader';

type ChangelogRecord = { key: Buffer | null; value: Buffer | null; timestamp: number; offset: string };

/**
 * The ChangelogReader port on kafkajs.
 *
 * kafkajs has no manual `assign()`, and its low-level fetch API is internal. Of the two
 * ways left, this uses the public consumer API: each read is a throwaway consumer in a
 * group of its own (unique id, autoCommit off, never commits, so the group leaves
 * nothing behind), subscribed to the changelog topic; being the only member it is
 * assigned every partition, pauses all but the wanted one, seeks it to `from` and stops
 * at `to`. Reaching into kafkajs internals for a group-less fetch would skip the group
 * join (a few hundred ms with group.initial.rebalance.delay.ms = 0) but break silently on
 * any kafkajs change; a restore is rare and long, so the join's cost does not matter.
 * The restore consumer is not the task's group consumer, so reading never holds up the
 * main consumer's heartbeats. Offsets come from the admin client (ListOffsets).
 */
export class KafkajsChangelogReader implements ChangelogReader {
  constructor(
    private readonly kafka: Kafka,
    private readonly groupPrefix = 'streamtune-restore',
    private readonly idleCheckMs = 5_000,
  ) {}

  /** A short-lived admin per call: restores are rare, and no idle socket outlives the app. */
  async offsets(topic: string, partition: number): Promise<{ low: string; high: string }> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await retryTransient(`offsets of ${topic}`, () => admin.fetchTopicOffsets(topic));
      const entry = offsets.find((o) => o.partition === partition);
      if (!entry) {
        throw new Error(
          `changelog ${topic} has no partition ${partition} (it has ${offsets.length}); was it created with fewer partitions?`,
        );
      }
      return { low: entry.low, high: entry.high };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async read(
    topic: string,
    partition: number,
    from: string,
    to: string,
    onBatch: (records: ReadonlyArray<ChangelogRecord>) => Promise<void>,
  ): Promise<void> {
    const start = BigInt(from);
    const end = BigInt(to);
    if (start >= end) return;
    const consumer = this.kafka.consumer({
      groupId: `${this.groupPrefix}-${randomBytes(6).toString('hex')}`,
      allowAutoTopicCreation: false,
      // a lone member: nothing to wait for when joining
      rebalanceTimeout: 10_000,
    });
    await consumer.connect();
    try {
      await new Promise<void>((resolve, reject) => {
        let done = false;
        // the next offset to deliver: every record below it went to onBatch exactly once
        let next = start;
        let progressed = true;
        // no batch can come when the records before `to` were deleted meanwhile (retention):
        // when nothing arrives for a while, ask the broker whether there is anything left
        const watchdog = setInterval(() => {
          if (progressed) {
            progressed = false;
            return;
          }
          this.offsets(topic, partition)
            .then(({ low, high }) => {
              if (BigInt(low) >= end || next >= BigInt(high)) finish();
            })
            .catch(() => undefined);
        }, this.idleCheckMs);
        const finish = (error?: unknown) => {
          if (done) return;
          done = true;
          clearInterval(watchdog);
          if (error) reject(error instanceof Error ? error : new Error(String(error)));
          else resolve();
        };
        consumer.on(consumer.events.CRASH, (event) => finish(event.payload.error));
        // GROUP_JOIN comes inside run() before its first fetch (and again after a rejoin, whose
        // fresh offset state would start over at the earliest offset): seeking here means no
        // batch is ever fetched from anywhere but `next`
        consumer.on(consumer.events.GROUP_JOIN, (event) => {
          const assigned = event.payload.memberAssignment[topic] ?? [];
          const others = assigned.filter((p) => p !== partition);
          if (others.length) consumer.pause([{ topic, partitions: others }]);
          if (!done) consumer.seek({ topic, partition, offset: String(next) });
        });
        consumer
          .subscribe({ topics: [topic], fromBeginning: true })
          .then(() =>
            consumer.run({
              autoCommit: false,
              eachBatchAutoResolve: false,
              eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
                if (done || batch.partition !== partition || !isRunning() || isStale()) return;
                const records: ChangelogRecord[] = [];
                for (const m of batch.messages) {
                  const offset = BigInt(m.offset);
                  // below `next`: delivered already (a batch fetched before a seek took effect)
                  if (offset < next || offset >= end) continue;
                  records.push({
                    key: m.key,
                    value: m.value,
                    timestamp: Number(m.timestamp),
                    offset: m.offset,
                  });
                }
                try {
                  if (records.length) await onBatch(records);
                } catch (error) {
                  finish(error);
                  return;
                }
                const last = BigInt(batch.lastOffset());
                if (last + 1n > next) next = last + 1n;
                // without this kafkajs fetches from the seek position again and again: a range
                // larger than one fetch (maxBytesPerPartition) would never end
                resolveOffset(batch.lastOffset());
                progressed = true;
                await heartbeat().catch(() => undefined);
                // stop at `to`, or at the end of the log if records before `to` are gone
                if (next >= end || next >= BigInt(batch.highWatermark)) finish();
              },
            }),
          )
          .catch(finish);
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  }

  /** Nothing stays open between calls. */
  async close(): Promise<void> {}
}
