import { MonotonicCounters, scrape, sumOf, type Sample } from '@streamtune/testkit/harness';

/** One scrape of every service, summed over services: what "the pipeline" used at that moment. */
export interface PipelinePoint {
  /** Seconds since the run's load started. */
  t: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  nativeBytes: number;
  storeInstances: number;
  storeMemoryBytes: number;
  storeFootprintBytes: number;
  cpuSeconds: number;
  /** Topic-partition batches acknowledged (streamtune_producer_requests_total counts those). */
  produceRequests: number;
  /** Produce requests, each carrying the batches for one broker. */
  requests: number;
  recordsSent: number;
  recordsProcessed: number;
  commits: number;
  restoredRecords: number;
  /** Services that answered this scrape. */
  up: number;
  /** Each service's consumer lag (records, all its partitions), in the order of the URLs; null when down. */
  lagRecords: (number | null)[];
  /** The load generator's records sent and how far behind its schedule it was, when it is scraped. */
  loadgenRecords?: number;
  loadgenBehindS?: number;
}

const FIELDS: [keyof PipelinePoint, string][] = [
  ['rssBytes', 'process_resident_memory_bytes'],
  ['heapUsedBytes', 'nodejs_heap_size_used_bytes'],
  ['heapTotalBytes', 'nodejs_heap_size_total_bytes'],
  ['externalBytes', 'nodejs_external_memory_bytes'],
  ['nativeBytes', 'streamtune_native_memory_bytes'],
  ['storeInstances', 'streamtune_store_open_instances'],
  ['storeMemoryBytes', 'streamtune_store_approximate_memory_bytes'],
  ['storeFootprintBytes', 'streamtune_store_footprint_bytes'],
  ['cpuSeconds', 'process_cpu_seconds_total'],
  ['produceRequests', 'streamtune_producer_requests_total'],
  ['requests', 'streamtune_producer_produce_requests_total'],
  ['recordsSent', 'streamtune_producer_records_sent_total'],
  ['recordsProcessed', 'streamtune_records_processed_total'],
  ['commits', 'streamtune_commits_total'],
  ['restoredRecords', 'streamtune_restore_records_total'],
];

export function pointFrom(t: number, scrapes: (Sample[] | undefined)[]): PipelinePoint {
  const point = { t, up: 0, lagRecords: [] as (number | null)[] } as PipelinePoint;
  for (const [field] of FIELDS) (point[field] as number) = 0;
  for (const samples of scrapes) {
    point.lagRecords.push(samples ? (sumOf(samples, 'streamtune_consumer_lag_records') ?? 0) : null);
    if (!samples) continue;
    point.up++;
    for (const [field, name] of FIELDS) (point[field] as number) += sumOf(samples, name) ?? 0;
  }
  return point;
}

/**
 * Scrapes the services' /metrics every interval. Counters restart with a process (a
 * SIGKILLed service), so per-service counter deltas are accumulated, never raw values.
 */
export class Sampler {
  readonly points: PipelinePoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private readonly counters = new MonotonicCounters();

  constructor(
    private readonly urls: () => string[],
    private readonly t0: number,
    private readonly intervalMs = 1_000,
    /** The load generator's /metrics, kept apart from the services' sums. */
    private readonly loadgenUrl?: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const urls = this.urls();
      const [scrapes, loadgen] = await Promise.all([
        Promise.all(urls.map((u) => scrape(u))),
        this.loadgenUrl ? scrape(this.loadgenUrl) : undefined,
      ]);
      const p = pointFrom((Date.now() - this.t0) / 1000, scrapes);
      if (loadgen) {
        // kind="late" counts late orders as they are planned, not records sent
        p.loadgenRecords = sumOf(loadgen, 'streamtune_loadgen_records_total', (l) => l.kind !== 'late') ?? 0;
        p.loadgenBehindS = sumOf(loadgen, 'streamtune_loadgen_behind_seconds') ?? 0;
      }
      // counters: each service's increase since its previous scrape (a restart begins at 0 again)
      for (const [field, name] of FIELDS) {
        if (!COUNTERS.has(field)) continue;
        urls.forEach((u, i) => {
          const s = scrapes[i];
          if (s) this.counters.observe(u, field, sumOf(s, name) ?? 0);
        });
        (p[field] as number) = this.counters.total(field);
      }
      this.points.push(p);
    } finally {
      this.busy = false;
    }
  }

  /** Forget a service's last counter values (it was restarted on the same URL). */
  resetService(url: string): void {
    this.counters.restarted(url);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.tick();
  }
}

const COUNTERS = new Set<keyof PipelinePoint>([
  'cpuSeconds',
  'produceRequests',
  'requests',
  'recordsSent',
  'recordsProcessed',
  'commits',
  'restoredRecords',
]);
