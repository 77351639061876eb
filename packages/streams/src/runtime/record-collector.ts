import type { AdminPort, ProducerPort } from '../client/ports';
import type { ChangelogSink } from '../state/api';
import { changelogTopicName } from '../topology/topic-names';
import type { OutgoingRecord, RecordCollector } from './task/types';

/**
 * A task's way out to Kafka (Kafka Streams' RecordCollector): sink and dead-letter
 * records, and the changelog records its stores append, all through the shared producer.
 * It remembers which changelogs were written since the last commit, and after the
 * producer's flush tells the offsets their last acknowledged records got: what the
 * task's checkpoint holds.
 */
export class TaskRecordCollector implements RecordCollector, ChangelogSink {
  private readonly writtenStores = new Set<string>();
  private error: Error | undefined;

  constructor(
    private readonly applicationId: string,
    private readonly partition: number,
    private readonly producer: ProducerPort,
  ) {}

  send(record: OutgoingRecord): Promise<void> {
    return this.producer.send(record);
  }

  /** Synchronous (stores call it inline): a send error is kept and thrown at the next commit. */
  append(store: string, key: Buffer, value: Buffer | null, timestamp: number): void {
    this.writtenStores.add(store);
    this.producer
      .send({
        topic: changelogTopicName(this.applicationId, store),
        partition: this.partition,
        key,
        value,
        timestamp,
      })
      .catch((e: unknown) => {
        this.error ??= e instanceof Error ? e : new Error(String(e));
      });
  }

  /**
   * After the producer flushed (every append acked): per store written since the last
   * call, the offset of its last changelog record. The producer knows it from the acks;
   * a producer that does not is asked through the broker's high watermark (- 1), which
   * holds because only this task writes this changelog partition.
   */
  async changelogOffsets(admin: AdminPort): Promise<Map<string, string>> {
    if (this.error) throw this.error;
    const out = new Map<string, string>();
    for (const store of this.writtenStores) {
      const topic = changelogTopicName(this.applicationId, store);
      const acked = this.producer.lastAckedOffset?.(topic, this.partition);
      if (acked !== undefined) {
        out.set(store, acked);
        continue;
      }
      const hw = (await admin.highWatermarks(topic)).get(this.partition);
      if (hw !== undefined && BigInt(hw) > 0n) out.set(store, (BigInt(hw) - 1n).toString());
    }
    this.writtenStores.clear();
    return out;
  }
}
