import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../src/client/backoff';

describe('backoffMs', () => {
  it('starts at the base, doubles, and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, 100, 1_000))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });
  it('treats attempt 0 as the first', () => {
    expect(backoffMs(0, 100, 1_000)).toBe(100);
  });
});
