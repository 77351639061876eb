import { describe, expect, it } from 'vitest';
import { createRng } from '../src/prng';

const draw = (seed: string, n = 50) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe('seeded PRNG', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    expect(draw('run-1')).toEqual(draw('run-1'));
    expect(draw('run-1')).not.toEqual(draw('run-2'));
    // seeds that differ in one character are not correlated at the start
    expect(draw('a', 1)[0]).not.toBeCloseTo(draw('b', 1)[0] as number, 3);
  });

  it('stays within its ranges', () => {
    const rng = createRng('ranges');
    for (let i = 0; i < 5_000; i++) {
      const v = rng.next();
      expect(v >= 0 && v < 1).toBe(true);
      const n = rng.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    }
    expect(rng.chance(0)).toBe(false);
    expect(rng.chance(1)).toBe(true);
  });

  it('reaches both ends of an integer range and gives exponential gaps their mean', () => {
    const rng = createRng('dist');
    const seen = new Set<number>();
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      seen.add(rng.int(1, 4));
      sum += rng.exponential(10);
    }
    expect([...seen].sort()).toEqual([1, 2, 3, 4]);
    expect(sum / 20_000).toBeGreaterThan(9.5);
    expect(sum / 20_000).toBeLessThan(10.5);
  });
});
