// Exact checks of a counting application's results (fixtures/counting.ts, `<key>:<count>`):
// what the exactly-once tests assert after a crash, a fencing, a rebalance or a broker restart.
import type { ConsumedRecord } from '@streamtune/testkit';
import { expect } from 'vitest';

/** Keys k0..k39; a key always lands on the same partition. */
export const KEYS = 40;

/** `n` records over two partitions, keys k0..k39 (a key always lands on the same partition). */
export function keyed(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const k = i % KEYS;
    return { key: `k${k}`, value: String(i), partition: k % 2 };
  });
}

/** Every key's last count: all input is through. */
export function lastCounts(total: number): string[] {
  return Array.from({ length: KEYS }, (_, k) => `k${k}:${total / KEYS}`);
}

export function allCounted(total: number) {
  const last = lastCounts(total);
  return (r: ConsumedRecord[]) => {
    const values = new Set(r.map((x) => x.value));
    return last.every((v) => values.has(v));
  };
}

/**
 * Every key counted 1..total/KEYS exactly once: no result twice (the outputs), no count
 * skipped or repeated (the store agreed with the committed offsets). Records count once per
 * offset: the test's own consumer may deliver one twice when it restarts. A result written
 * twice is named with where each copy is and which process wrote it.
 */
export function expectEachCountOnce(out: ConsumedRecord[], total: number): void {
  const inTopic = new Map(out.map((r) => [`${r.partition}@${r.offset}`, r]));
  const copies = new Map<string, ConsumedRecord[]>();
  for (const r of inTopic.values()) copies.set(r.value!, [...(copies.get(r.value!) ?? []), r]);
  const expected = Array.from({ length: KEYS }, (_, k) =>
    Array.from({ length: total / KEYS }, (_, c) => `k${k}:${c + 1}`),
  ).flat();
  const missing = expected.filter((e) => !copies.has(e));
  const twice = [...copies]
    .filter(([, rs]) => rs.length > 1)
    .map(
      ([v, rs]) =>
        `${v}: ${rs.map((r) => `${r.partition}@${r.offset} by ${r.headers['x-writer-pid']}`).join(', ')}`,
    );
  const wanted = new Set(expected);
  const unexpected = [...copies.keys()].filter((v) => !wanted.has(v));
  expect({ missing, twice, unexpected }).toEqual({ missing: [], twice: [], unexpected: [] });
  expect(inTopic.size).toBe(total);
}
