import { describe, expect, it } from 'vitest';
import { JoinWindows } from '../../src/dsl/join-windows';

describe('JoinWindows', () => {
  it('ofTimeDifferenceAndGrace is symmetric and keeps the grace', () => {
    const w = JoinWindows.ofTimeDifferenceAndGrace(100, 20);
    expect([w.beforeMs, w.afterMs, w.size(), w.gracePeriodMs(), w.retentionMs()]).toEqual([
      100, 100, 200, 20, 220,
    ]);
  });

  it('ofTimeDifferenceWithNoGrace has grace 0', () => {
    expect(JoinWindows.ofTimeDifferenceWithNoGrace(50).gracePeriodMs()).toBe(0);
  });

  it('before/after return new asymmetric windows and leave the original alone', () => {
    const w = JoinWindows.ofTimeDifferenceAndGrace(100, 5);
    const asym = w.before(10).after(30);
    expect([asym.beforeMs, asym.afterMs, asym.size(), asym.gracePeriodMs()]).toEqual([10, 30, 40, 5]);
    expect([w.beforeMs, w.afterMs]).toEqual([100, 100]);
  });

  it('allows a negative side as long as the size is not negative', () => {
    expect(JoinWindows.ofTimeDifferenceAndGrace(10, 0).before(-5).size()).toBe(5);
    expect(() => JoinWindows.ofTimeDifferenceAndGrace(10, 0).before(-11)).toThrow(/must not be negative/);
  });

  it.each([
    [() => JoinWindows.ofTimeDifferenceAndGrace(-1, 0), /timeDifferenceMs \(-1\) must not be negative/],
    [() => JoinWindows.ofTimeDifferenceAndGrace(1, -1), /grace period \(-1 ms\) must not be negative/],
    [() => JoinWindows.ofTimeDifferenceAndGrace(1.5, 0), /whole number of milliseconds/],
    [() => JoinWindows.ofTimeDifferenceWithNoGrace(Number.NaN), /whole number of milliseconds/],
    [() => JoinWindows.ofTimeDifferenceWithNoGrace(1).after(Infinity), /after must be a whole number/],
  ])('rejects bad arguments with a clear error (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});
