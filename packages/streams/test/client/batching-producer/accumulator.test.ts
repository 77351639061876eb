import { describe, expect, it } from 'vitest';
import { RecordAccumulator, type ReadinessInput } from '../../../src/client/batching-producer/accumulator';
import { RECORD_BATCH_OVERHEAD } from '../../../src/client/batching-producer/record-size';

/** One broker (node 1) leads every partition unless a test says otherwise; nothing muted. */
function input(overrides: Partial<ReadinessInput> = {}): ReadinessInput {
  return {
    sendAll: false,
    isMuted: () => false,
    leaderOf: () => 1,
    canSendTo: () => true,
    ...overrides,
  };
}

const config = { batchSize: 1_000, lingerMs: 50, maxRequestSize: 10_000 };

describe('RecordAccumulator', () => {
  it('keeps appending to a partition batch until the next record would pass batchSize', () => {
    const acc = new RecordAccumulator<string>(config);
    const first = acc.append('t', 0, 'a', 300, 0);
    expect(acc.append('t', 0, 'b', 300, 1)).toBe(first);
    expect(acc.append('t', 0, 'c', 300, 2)).toBe(first); // 61 + 900 = 961 <= 1000
    const second = acc.append('t', 0, 'd', 300, 3);
    expect(second).not.toBe(first);
    expect(first.records).toEqual(['a', 'b', 'c']);
    expect(first.closed).toBe(true);
    expect(first.sizeBytes).toBe(RECORD_BATCH_OVERHEAD + 900);
    expect(second.createdAtMs).toBe(3);
  });

  it('gives a record bigger than batchSize a closed batch of its own', () => {
    const acc = new RecordAccumulator<string>(config);
    const big = acc.append('t', 0, 'big', 5_000, 0);
    expect(big.closed).toBe(true);
    expect(acc.append('t', 0, 'small', 10, 0)).not.toBe(big);
  });

  it('keeps partitions apart', () => {
    const acc = new RecordAccumulator<string>(config);
    const p0 = acc.append('t', 0, 'a', 10, 0);
    const p1 = acc.append('t', 1, 'b', 10, 0);
    const other = acc.append('u', 0, 'c', 10, 0);
    expect(new Set([p0, p1, other]).size).toBe(3);
    expect(acc.batchCount()).toBe(3);
  });

  it('holds a partly filled batch for lingerMs and says when to look again', () => {
    const acc = new RecordAccumulator<string>(config);
    acc.append('t', 0, 'a', 10, 100);
    expect(acc.ready(100, input())).toEqual({ readyNodes: new Set(), nextReadyInMs: 50 });
    expect(acc.ready(130, input())).toEqual({ readyNodes: new Set(), nextReadyInMs: 20 });
    expect(acc.ready(150, input()).readyNodes).toEqual(new Set([1]));
  });

  it('makes a full batch ready before its linger passes', () => {
    const acc = new RecordAccumulator<string>(config);
    for (let i = 0; i < 4; i++) acc.append('t', 0, `r${i}`, 300, 0);
    expect(acc.ready(1, input()).readyNodes).toEqual(new Set([1]));
  });

  it('with lingerMs 0 a batch is ready at once', () => {
    const acc = new RecordAccumulator<string>({ ...config, lingerMs: 0 });
    acc.append('t', 0, 'a', 10, 7);
    expect(acc.ready(7, input()).readyNodes).toEqual(new Set([1]));
  });

  it('makes everything ready while a flush, close or memory wait is on', () => {
    const acc = new RecordAccumulator<string>(config);
    acc.append('t', 0, 'a', 10, 0);
    expect(acc.ready(0, input()).readyNodes.size).toBe(0);
    expect(acc.ready(0, input({ sendAll: true })).readyNodes).toEqual(new Set([1]));
  });

  it('skips muted partitions and brokers at their in-flight limit', () => {
    const acc = new RecordAccumulator<string>({ ...config, lingerMs: 0 });
    acc.append('t', 0, 'a', 10, 0);
    expect(acc.ready(0, input({ isMuted: () => true }))).toEqual({
      readyNodes: new Set(),
      nextReadyInMs: undefined,
    });
    expect(acc.ready(0, input({ canSendTo: () => false })).readyNodes.size).toBe(0);
  });

  it('drains one head batch per partition, lingering ones riding along, grouped per leader', () => {
    const acc = new RecordAccumulator<string>(config);
    for (let i = 0; i < 4; i++) acc.append('t', 0, `p0-${i}`, 300, 0); // two batches, first closed
    acc.append('t', 1, 'p1', 10, 0); // still lingering
    acc.append('t', 2, 'p2', 10, 0); // led by broker 2
    const leaderOf = (_t: string, p: number) => (p === 2 ? 2 : 1);
    const ready = acc.ready(0, input({ leaderOf }));
    expect(ready.readyNodes).toEqual(new Set([1]));
    const drained = acc.drain(5, ready.readyNodes, input({ leaderOf }));
    expect([...drained.keys()]).toEqual([1]);
    const batches = drained.get(1)!;
    expect(batches.map((b) => b.records)).toEqual([['p0-0', 'p0-1', 'p0-2'], ['p1']]);
    expect(batches.every((b) => b.closed && b.drainedAtMs === 5)).toBe(true);
    // the second batch of partition 0 and the batch on broker 2 stay
    expect(acc.batchCount()).toBe(2);
  });

  it('bounds a request by maxRequestSize and starts the next drain where the last stopped', () => {
    const acc = new RecordAccumulator<string>({ batchSize: 1_000, lingerMs: 0, maxRequestSize: 1_500 });
    for (let p = 0; p < 3; p++) acc.append('t', p, `p${p}`, 600, 0); // 661 bytes each
    const first = acc.drain(0, new Set([1]), input()).get(1)!;
    expect(first.map((b) => b.partition)).toEqual([0, 1]);
    const second = acc.drain(0, new Set([1]), input()).get(1)!;
    expect(second.map((b) => b.partition)).toEqual([2]);
  });

  it('always sends the first batch even when it alone passes maxRequestSize', () => {
    const acc = new RecordAccumulator<string>({ batchSize: 1_000, lingerMs: 0, maxRequestSize: 500 });
    acc.append('t', 0, 'x', 900, 0);
    expect(
      acc
        .drain(0, new Set([1]), input())
        .get(1)!
        .map((b) => b.records),
    ).toEqual([['x']]);
  });

  it('reports room only in an open batch that the record fits into', () => {
    const acc = new RecordAccumulator<string>(config);
    expect(acc.hasRoom('t', 0, 10)).toBe(false);
    acc.append('t', 0, 'a', 500, 0);
    expect(acc.hasRoom('t', 0, 400)).toBe(true);
    expect(acc.hasRoom('t', 0, 500)).toBe(false);
    acc.drain(0, new Set([1]), input({ sendAll: true }));
    expect(acc.hasRoom('t', 0, 10)).toBe(false);
  });

  it('settles a batch once for every waiter', async () => {
    const acc = new RecordAccumulator<string>(config);
    const batch = acc.append('t', 0, 'a', 10, 0);
    let settled = 0;
    void batch.done.then(() => settled++);
    void batch.done.then(() => settled++);
    batch.settle();
    await batch.done;
    expect(settled).toBe(2);
  });
});
