import type { CapacityStep } from './capacity';
import type { PipelinePoint } from './sampler';

const MB = 1024 * 1024;

/**
 * What one pipeline run leaves: its flat figures (the ones summarised over runs), per-topic
 * verifier figures and the services' series. Built from the verifier's report and the
 * sampler's points, the two functions below.
 */
export interface RunRecord {
  variant: string;
  round: number;
  prefix: string;
  startedAt: string;
  /** The code measured: other work may commit to the runtime while a scenario runs. */
  revision?: string;
  wallMs: number;
  ok: boolean;
  error?: string;
  /** Flat figures, the ones summarised over runs. */
  figures: Record<string, number | undefined>;
  perTopic: Record<
    string,
    {
      p50Ms?: number;
      p99Ms?: number;
      p999Ms?: number;
      completeness: number;
      duplicates: number;
      missing: number;
      received: number;
    }
  >;
  /** Summed over services, every second or so (memory over time). */
  series: Pick<
    PipelinePoint,
    | 't'
    | 'rssBytes'
    | 'heapUsedBytes'
    | 'nativeBytes'
    | 'storeMemoryBytes'
    | 'storeInstances'
    | 'recordsProcessed'
  >[];
  crash?: Record<string, number | undefined>;
  changelogs?: Record<string, Record<string, string>>;
  /** A capacity search's steps (load.rateSteps), with each service's lag verdict. */
  capacity?: CapacityStep[];
}

export function figuresFromReport(
  report: VerifierReportLike,
  topics: string[],
  record: RunRecord,
): Pick<RunRecord, 'perTopic'> {
  const perTopic: RunRecord['perTopic'] = {};
  let minCompleteness = 1;
  let duplicates = 0;
  let missing = 0;
  for (const t of report.topics) {
    const live = t.latencyMs.count > 0;
    perTopic[t.topic] = {
      ...(live ? { p50Ms: t.latencyMs.p50, p99Ms: t.latencyMs.p99, p999Ms: t.latencyMs.p999 } : {}),
      completeness: t.completeness,
      duplicates: t.duplicates,
      missing: t.missing,
      received: t.received,
    };
    minCompleteness = Math.min(minCompleteness, t.completeness);
    duplicates += t.duplicates;
    missing += t.missing;
  }
  const last = report.topics.find((t) => t.topic === topics.at(-1));
  const f = record.figures;
  f.completeness = minCompleteness;
  f.duplicates = duplicates;
  f.missing = missing;
  f.timeToCompleteMs = report.endToEnd.timeToCompleteMs;
  if (last && last.latencyMs.count > 0) {
    f.lastStageP50Ms = last.latencyMs.p50;
    f.lastStageP99Ms = last.latencyMs.p99;
    f.lastStageP999Ms = last.latencyMs.p999;
    f.lastStageThroughputPerSec = last.throughput.perSecond;
  }
  const worst = Math.max(...report.topics.filter((t) => t.latencyMs.count > 0).map((t) => t.latencyMs.p99));
  if (Number.isFinite(worst)) f.worstStageP99Ms = worst;
  if (report.endToEnd.latencyMs.count > 0) {
    f.e2eP50Ms = report.endToEnd.latencyMs.p50;
    f.e2eP99Ms = report.endToEnd.latencyMs.p99;
    f.e2eP999Ms = report.endToEnd.latencyMs.p999;
  }
  f.ordersMeasured = report.manifest.orders;
  return { perTopic };
}

interface VerifierReportLike {
  topics: {
    topic: string;
    completeness: number;
    duplicates: number;
    missing: number;
    received: number;
    latencyMs: { count: number; p50: number; p99: number; p999: number };
    throughput: { perSecond: number };
  }[];
  endToEnd: {
    latencyMs: { count: number; p50: number; p99: number; p999: number };
    timeToCompleteMs?: number;
  };
  manifest: { orders?: number };
}

/** Rates over the span in which the services processed records (steady state, not idle tails). */
export function figuresFromSeries(points: PipelinePoint[]): Record<string, number | undefined> {
  if (points.length < 2) return {};
  const first = points[0] as PipelinePoint;
  const last = points.at(-1) as PipelinePoint;
  const busy = points.filter(
    (p, i) => i > 0 && p.recordsProcessed > (points[i - 1] as PipelinePoint).recordsProcessed,
  );
  const spanStart = busy.length
    ? (points[points.indexOf(busy[0] as PipelinePoint) - 1] as PipelinePoint)
    : first;
  const spanEnd = busy.at(-1) ?? last;
  const span = Math.max(1e-3, spanEnd.t - spanStart.t);
  const max = (f: (p: PipelinePoint) => number) => Math.max(...points.map(f));
  return {
    processedRecords: last.recordsProcessed,
    processedPerSec: (spanEnd.recordsProcessed - spanStart.recordsProcessed) / span,
    busySpanS: span,
    // when the services processed their last input record, from the start of the load: with the
    // verifier's timeToCompleteMs undefined (a result missing), this still shows the backlog
    lastInputProcessedAtMs: spanEnd.t * 1000,
    produceRequests: last.produceRequests,
    produceRequestsPerSec: (spanEnd.produceRequests - spanStart.produceRequests) / span,
    recordsPerProduceRequest: last.produceRequests ? last.recordsSent / last.produceRequests : undefined,
    requestsPerSec: (spanEnd.requests - spanStart.requests) / span,
    recordsPerRequest: last.requests ? last.recordsSent / last.requests : undefined,
    commits: last.commits,
    commitsPerSec: (spanEnd.commits - spanStart.commits) / span,
    cpuSeconds: last.cpuSeconds - first.cpuSeconds,
    cpuPercent: (100 * (spanEnd.cpuSeconds - spanStart.cpuSeconds)) / span,
    peakRssMb: max((p) => p.rssBytes) / MB,
    finalRssMb: last.rssBytes / MB,
    peakHeapUsedMb: max((p) => p.heapUsedBytes) / MB,
    peakNativeMb: max((p) => p.nativeBytes) / MB,
    peakStoreInstances: max((p) => p.storeInstances),
    peakStoreMemoryMb: max((p) => p.storeMemoryBytes) / MB,
    footprintMb: max((p) => p.storeFootprintBytes) / MB,
  };
}
