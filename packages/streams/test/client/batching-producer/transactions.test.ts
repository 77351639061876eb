import { describe, expect, it } from 'vitest';
import { retriesWithin } from '../../../src/client/batching-producer/transactions';

describe('retriesWithin', () => {
  it('counts retries whose shortest waits add up to the total', () => {
    // 16 + 25.6 + 41 + 65.5 + 104.9 + 167.8 + 268.4 + 429.5 + 687.2 = 1,805.9 ms, then 1 s each
    expect(retriesWithin(1_805, 20, 1_000)).toBe(9);
    expect(retriesWithin(10_000, 20, 1_000)).toBe(9 + 9);
  });

  it('keeps the 120 s delivery timeout within about two minutes of retries', () => {
    expect(retriesWithin(120_000, 20, 1_000)).toBe(9 + 119);
  });
});
