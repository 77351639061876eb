/**
 * Statistics over repeated benchmark runs. Runs are few (3-10) and noisy, so the
 * median is the figure and the spread says how much to trust it.
 */

/** Percentile by linear interpolation between closest ranks (as numpy's default); p in 0..100. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be within 0..100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mean of no values');
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Sample standard deviation (n - 1); 0 for a single value. */
export function stddev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

export interface RunStats {
  n: number;
  median: number;
  min: number;
  max: number;
  mean: number;
  stddev: number;
  /** (max - min) / median: the spread a reader should weigh the median by; 0 when the median is 0. */
  relativeSpread: number;
}

export function runStats(values: readonly number[]): RunStats {
  if (values.length === 0) throw new Error('no runs to summarise');
  const med = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return {
    n: values.length,
    median: med,
    min,
    max,
    mean: mean(values),
    stddev: stddev(values),
    relativeSpread: med === 0 ? 0 : (max - min) / Math.abs(med),
  };
}

export interface Comparison {
  before: RunStats;
  after: RunStats;
  /** median(after) / median(before); Infinity when before's median is 0. */
  ratio: number;
  /**
   * True when the ranges of the two sets do not overlap: with few runs a
   * crude but honest test of whether the change is more than noise.
   */
  separated: boolean;
}

export function compareRuns(before: readonly number[], after: readonly number[]): Comparison {
  const b = runStats(before);
  const a = runStats(after);
  return {
    before: b,
    after: a,
    ratio: b.median === 0 ? Infinity : a.median / b.median,
    separated: a.min > b.max || a.max < b.min,
  };
}
