import { describe, expect, it } from 'vitest';
import { compareRuns, median, percentile, runStats, stddev } from '../src/index';

describe('run statistics', () => {
  it('interpolates percentiles between closest ranks', () => {
    const values = [10, 20, 30, 40, 50];
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 25)).toBe(20);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([5, 1, 3], 50)).toBe(3);
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('rejects empty input and percentiles out of range', () => {
    expect(() => median([])).toThrow(/no values/);
    expect(() => percentile([1], 101)).toThrow(/0..100/);
  });

  it('summarises runs with median, range and relative spread', () => {
    const s = runStats([100, 90, 110]);
    expect(s).toMatchObject({ n: 3, median: 100, min: 90, max: 110, mean: 100 });
    expect(s.relativeSpread).toBeCloseTo(0.2);
    expect(stddev([100, 90, 110])).toBeCloseTo(10);
  });

  it('compares before and after by the ratio of medians and flags separated ranges', () => {
    const c = compareRuns([100, 105, 95], [50, 55, 52]);
    expect(c.ratio).toBeCloseTo(0.52);
    expect(c.separated).toBe(true);
    const noisy = compareRuns([100, 60, 140], [90, 95, 130]);
    expect(noisy.separated).toBe(false);
  });
});

describe('targets', () => {
  it('passes figures within their bounds and names the ones outside or missing', async () => {
    const { checkTargets, parseTargets } = await import('../src/index');
    const targets = parseTargets({
      'orders-paid.p99Ms': { max: 500 },
      throughputPerSec: { min: 1000 },
      timeToCompleteMs: { max: 60_000 },
    });
    const result = checkTargets({ 'orders-paid.p99Ms': 650, throughputPerSec: 1200 }, targets);
    expect(result.ok).toBe(false);
    expect(result.checks.filter((c) => !c.ok).map((c) => c.reason)).toEqual([
      'orders-paid.p99Ms = 650 > max 500',
      'timeToCompleteMs was not measured',
    ]);
    expect(
      checkTargets({ 'orders-paid.p99Ms': 10, throughputPerSec: 1000, timeToCompleteMs: 1 }, targets).ok,
    ).toBe(true);
  });

  it('rejects target files with typos', async () => {
    const { parseTargets } = await import('../src/index');
    expect(() => parseTargets({ x: { maxx: 1 } })).toThrow(/unknown key/);
    expect(() => parseTargets({ x: {} })).toThrow(/needs max or min/);
    expect(() => parseTargets([])).toThrow(/expected an object/);
  });
});
