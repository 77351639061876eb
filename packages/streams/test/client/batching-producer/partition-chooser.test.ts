import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { PartitionChooser } from '../../../src/client/batching-producer/partition-chooser';

function layout(count: number, leaderless: number[] = []): PartitionMetadata[] {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 1,
    replicas: [1],
    isr: [1],
  }));
}

describe('PartitionChooser', () => {
  it("puts keyed records where kafkajs' Java-compatible partitioner does", () => {
    const chooser = new PartitionChooser();
    const reference = Partitioners.DefaultPartitioner();
    const partitions = layout(12);
    for (const k of ['order-1', 'order-42', 'a', '']) {
      const key = Buffer.from(k);
      const expected = reference({
        topic: 't',
        partitionMetadata: partitions,
        message: { key, value: null },
      });
      expect(chooser.choose('t', partitions, key, null, () => false)).toBe(expected);
    }
  });

  it('keeps null-key records on one partition while its batch has room, then moves round robin', () => {
    const chooser = new PartitionChooser();
    const partitions = layout(4);
    let room = true;
    const first = chooser.choose('t', partitions, null, null, () => room);
    expect(chooser.choose('t', partitions, null, null, () => room)).toBe(first);
    room = false; // the batch closed (full or drained)
    const second = chooser.choose('t', partitions, null, null, () => room);
    expect(second).toBe((first + 1) % 4);
    room = true;
    expect(chooser.choose('t', partitions, null, null, () => room)).toBe(second);
  });

  it('moves null-key records only over partitions that have a leader', () => {
    const chooser = new PartitionChooser();
    const partitions = layout(4, [1, 2]);
    const seen = new Set<number>();
    for (let i = 0; i < 10; i++) seen.add(chooser.choose('t', partitions, null, null, () => false));
    expect(seen).toEqual(new Set([0, 3]));
  });
});
