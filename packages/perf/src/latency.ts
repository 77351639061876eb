import hdr from 'hdr-histogram-js';

type Histogram = ReturnType<typeof hdr.build>;

/** Percentiles of a latency distribution, in milliseconds. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/**
 * Records latencies into an HdrHistogram: constant memory whatever the count,
 * percentiles within 0.1 % (3 significant digits), mergeable across runs.
 * Values are kept in microseconds so sub-millisecond stages stay visible.
 */
export class LatencyRecorder {
  private readonly histogram: Histogram;
  /** Values below zero (clock skew between hosts) are counted, not recorded. */
  negative = 0;

  constructor() {
    this.histogram = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000,
      numberOfSignificantValueDigits: 3,
      autoResize: true,
    });
  }

  recordMs(ms: number): void {
    if (!Number.isFinite(ms)) return;
    if (ms < 0) {
      this.negative++;
      return;
    }
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** The latency at percentile `p` (0..100), ms. */
  percentileMs(p: number): number {
    return this.count === 0 ? 0 : this.histogram.getValueAtPercentile(p) / 1000;
  }

  add(other: LatencyRecorder): void {
    this.histogram.add(other.histogram);
    this.negative += other.negative;
  }

  summary(): LatencySummary {
    const h = this.histogram;
    if (h.totalCount === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const ms = (us: number) => Math.round(us) / 1000;
    return {
      count: h.totalCount,
      min: ms(h.minNonZeroValue),
      mean: ms(h.mean),
      p50: ms(h.getValueAtPercentile(50)),
      p90: ms(h.getValueAtPercentile(90)),
      p99: ms(h.getValueAtPercentile(99)),
      p999: ms(h.getValueAtPercentile(99.9)),
      max: ms(h.maxValue),
    };
  }

  /** Compact, lossless form for result files (HdrHistogram's compressed base64). */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.histogram);
  }

  static decode(encoded: string): LatencyRecorder {
    const r = new LatencyRecorder();
    r.histogram.add(hdr.decodeFromCompressedBase64(encoded));
    return r;
  }
}
