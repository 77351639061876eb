import { Partitioners, type PartitionMetadata } from 'kafkajs';

/**
 * Where a record goes when the caller gave no partition. Keyed records: kafkajs'
 * DefaultPartitioner, which is the Java client's murmur2 (the testkit checks it against
 * the Java jar), so Java and Node producers agree on a key's partition. Null keys: one
 * partition per batch, round robin over partitions with a leader, close to Java's
 * sticky partitioner (KIP-480) which fills a batch before it moves on.
 */
export class PartitionChooser {
  private readonly keyed = Partitioners.DefaultPartitioner();
  private readonly sticky = new Map<string, { partition: number; counter: number }>();

  choose(
    topic: string,
    partitions: PartitionMetadata[],
    key: Buffer | null,
    value: Buffer | null,
    /** Whether a record would join the partition's open batch (see RecordAccumulator.hasRoom). */
    hasRoom: (partition: number) => boolean,
  ): number {
    if (key !== null) return this.keyed({ topic, partitionMetadata: partitions, message: { key, value } });
    let state = this.sticky.get(topic);
    if (state && hasRoom(state.partition)) return state.partition;
    const available = partitions.filter((p) => p.leader >= 0);
    const candidates = available.length > 0 ? available : partitions;
    const counter = state ? state.counter + 1 : Math.floor(Math.random() * candidates.length);
    state = { partition: candidates[counter % candidates.length]!.partitionId, counter };
    this.sticky.set(topic, state);
    return state.partition;
  }
}
