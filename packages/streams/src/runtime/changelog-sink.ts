import type { AdminPort, ProducerPort } from '../client/ports';
import type { ChangelogSink } from '../state/api';
import { changelogTopicName } from './internal-topics';

/**
 * A task's changelog writer: appends go to `<applicationId>-<store>-changelog` at the
 * task's partition through the shared producer. `append` is synchronous (stores call it
 * inline), so a send error is kept and thrown at the next commit instead of being lost.
 * Which stores were written since the last commit is tracked, so the commit can ask
 * for the offsets that the flushed state corresponds to.
 */
export class TaskChangelogSink implements ChangelogSink {
  private readonly dirty = new Set<string>();
  private error: Error | undefined;

  constructor(
    private readonly applicationId: string,
    private readonly partition: number,
    private readonly producer: ProducerPort,
  ) {}

  append(store: string, key: Buffer, value: Buffer | null, timestamp: number): void {
    this.dirty.add(store);
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
   * call, the offset of its last changelog record (what a checkpoint holds), i.e. the
   * partition's high watermark - 1: with acks=all the high watermark includes our last
   * acknowledged write, and only this task writes this changelog partition.
   */
  async takeOffsets(admin: AdminPort): Promise<Map<string, string>> {
    if (this.error) throw this.error;
    const out = new Map<string, string>();
    for (const store of this.dirty) {
      const hw = (await admin.highWatermarks(changelogTopicName(this.applicationId, store))).get(
        this.partition,
      );
      if (hw !== undefined && BigInt(hw) > 0n) out.set(store, (BigInt(hw) - 1n).toString());
    }
    this.dirty.clear();
    return out;
  }
}
