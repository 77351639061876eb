import { hostname } from 'node:os';
import { Gauge } from 'prom-client';
import { createServiceMetrics, type ServiceMetrics } from '@streamtune/metrics';
import type { LatencyRecorder } from '@streamtune/perf';
import type { TopicReport, TopicTally } from './tally';

export interface VerifierState {
  /** Records read so far and their latency, before the expectations are known too. */
  live: { records: number; latency: LatencyRecorder };
  /** Per logical topic, once the manifest is complete. */
  tallies: Map<string, TopicTally> | undefined;
}

/**
 * /metrics for a verifier run (when a port is given). Figures are computed from
 * the tallies at scrape time, so a scrape costs one pass over the expectations.
 */
export async function startVerifierMetrics(
  port: number,
  state: () => VerifierState,
): Promise<ServiceMetrics> {
  const service = await createServiceMetrics({
    service: 'verifier',
    instance: process.env.INSTANCE ?? `${hostname()}-${process.pid}`,
    port,
  });
  const registers = [service.registry];
  let reports: TopicReport[] = [];
  let reportsAt = 0;
  // the gauges below are collected one after another in a scrape: compute the reports once per scrape
  const current = () => {
    if (Date.now() - reportsAt > 1_000) {
      reports = [...(state().tallies?.values() ?? [])].map((t) => t.report());
      reportsAt = Date.now();
    }
    return reports;
  };
  const perTopic = (name: string, help: string, pick: (r: TopicReport) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['topic'],
      registers,
      collect() {
        this.reset();
        for (const r of current()) this.set({ topic: r.topic }, pick(r));
      },
    });
  new Gauge({
    name: 'streamtune_verifier_read_records',
    help: 'Records the verifier has read from the checked topics.',
    registers,
    collect() {
      this.set(state().live.records);
    },
  });
  new Gauge({
    name: 'streamtune_verifier_live_latency_seconds',
    help: 'End-to-end latency over every record read so far (before the manifest is complete too).',
    labelNames: ['quantile'],
    registers,
    collect() {
      const { latency } = state().live;
      for (const q of [0.5, 0.99, 0.999])
        this.set({ quantile: String(q) }, latency.percentileMs(q * 100) / 1000);
    },
  });
  perTopic(
    'streamtune_verifier_completeness_ratio',
    'Required results seen / required results.',
    (r) => r.completeness,
  );
  perTopic('streamtune_verifier_missing_results', 'Required results not seen (yet).', (r) => r.missing);
  perTopic(
    'streamtune_verifier_duplicate_results',
    'Copies beyond the first of a result.',
    (r) => r.duplicates,
  );
  perTopic(
    'streamtune_verifier_unexpected_results',
    'Results the manifest does not explain.',
    (r) => r.unexpected,
  );
  perTopic(
    'streamtune_verifier_invalid_records',
    'Records that do not decode as their topic type.',
    (r) => r.invalid,
  );
  new Gauge({
    name: 'streamtune_verifier_latency_seconds',
    help: 'End-to-end latency per topic (from the latest input creation to arrival).',
    labelNames: ['topic', 'quantile'],
    registers,
    collect() {
      this.reset();
      for (const r of current()) {
        if (!r.latencyMs.count) continue;
        this.set({ topic: r.topic, quantile: '0.5' }, r.latencyMs.p50 / 1000);
        this.set({ topic: r.topic, quantile: '0.99' }, r.latencyMs.p99 / 1000);
        this.set({ topic: r.topic, quantile: '0.999' }, r.latencyMs.p999 / 1000);
      }
    },
  });
  service.markReady();
  return service;
}
