import { describe, expect, it } from 'vitest';
import { LatencyRecorder, ThroughputCounter } from '../src/index';

describe('LatencyRecorder', () => {
  it('reports percentiles of recorded latencies within HdrHistogram precision', () => {
    const r = new LatencyRecorder();
    for (let ms = 1; ms <= 1000; ms++) r.recordMs(ms);
    const s = r.summary();
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(500, -1);
    expect(s.p99).toBeGreaterThanOrEqual(989);
    expect(s.p99).toBeLessThanOrEqual(991);
    expect(s.p999).toBeGreaterThanOrEqual(998);
    expect(s.max).toBeGreaterThanOrEqual(999);
    expect(s.min).toBe(1);
  });

  it('keeps sub-millisecond values apart', () => {
    const r = new LatencyRecorder();
    r.recordMs(0.2);
    r.recordMs(0.8);
    expect(r.percentileMs(50)).toBeCloseTo(0.2, 2);
    expect(r.percentileMs(100)).toBeCloseTo(0.8, 2);
  });

  it('counts negative values (clock skew) instead of recording them', () => {
    const r = new LatencyRecorder();
    r.recordMs(-5);
    r.recordMs(10);
    expect(r.count).toBe(1);
    expect(r.negative).toBe(1);
  });

  it('merges recorders and survives an encode/decode round trip', () => {
    const a = new LatencyRecorder();
    const b = new LatencyRecorder();
    for (let i = 0; i < 100; i++) a.recordMs(10);
    for (let i = 0; i < 100; i++) b.recordMs(1000);
    a.add(b);
    expect(a.count).toBe(200);
    const copy = LatencyRecorder.decode(a.encode());
    // a decoded histogram knows values only to its bucket precision (0.1 %)
    expect(copy.count).toBe(200);
    expect(copy.percentileMs(50)).toBeCloseTo(a.percentileMs(50), 1);
    expect(copy.percentileMs(99) / a.percentileMs(99)).toBeCloseTo(1, 2);
  });

  it('summarises an empty recorder as zeros', () => {
    expect(new LatencyRecorder().summary()).toMatchObject({ count: 0, p99: 0 });
  });
});

describe('ThroughputCounter', () => {
  it('divides the count by the active span and finds the busiest second', () => {
    const t = new ThroughputCounter();
    t.add(1, 10_000);
    t.add(5, 10_500);
    t.add(4, 12_000);
    const s = t.summary();
    expect(s.count).toBe(10);
    expect(s.perSecond).toBe(5);
    expect(s.peakPerSecond).toBe(6);
    expect(t.perSecondSeries()).toEqual([
      { second: 10, count: 6 },
      { second: 12, count: 4 },
    ]);
  });
});
