import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunStats } from '@streamtune/perf';
import { ROOT } from '../lib/processes';

export const PLAYBOOK = join(ROOT, 'docs/playbook');
const IMG = join(PLAYBOOK, 'img');

/** How each figure reads in a table: label, unit, decimals. */
export const FIGURES: Record<string, [string, string, number]> = {
  peakRssMb: ['peak RSS', 'MB', 0],
  finalRssMb: ['RSS at the end', 'MB', 0],
  peakHeapUsedMb: ['peak V8 heap used', 'MB', 0],
  peakNativeMb: ['peak native memory (RSS − heap − external)', 'MB', 0],
  peakStoreInstances: ['open LevelDB instances (peak)', '', 0],
  peakStoreMemoryMb: ['LevelDB approximate memory (peak)', 'MB', 1],
  footprintMb: ['footprint formula (budget)', 'MB', 0],
  processedPerSec: ['input records processed per second', 'rec/s', 0],
  lastStageP50Ms: ['last stage e2e p50', 'ms', 0],
  lastStageP99Ms: ['last stage e2e p99', 'ms', 0],
  lastStageP999Ms: ['last stage e2e p99.9', 'ms', 0],
  worstStageP99Ms: ['worst stage e2e p99', 'ms', 0],
  e2eP50Ms: ['end-to-end p50 (order-outcomes)', 'ms', 0],
  e2eP99Ms: ['end-to-end p99 (order-outcomes)', 'ms', 0],
  timeToCompleteMs: ['time to completely process the orders', 'ms', 0],
  lastInputProcessedAtMs: ['last input record processed, from load start', 'ms', 0],
  completeness: ['completeness (lowest stage)', '', 3],
  duplicates: ['duplicate results', '', 0],
  commitsPerSec: ['commits per second', '/s', 2],
  cpuPercent: ['service CPU', '% of a core', 0],
  produceRequestsPerSec: ['produced batches per second (topic-partition batches)', '/s', 0],
  recordsPerProduceRequest: ['records per produced batch', '', 1],
  requestsPerSec: ['produce requests per second', '/s', 0],
  recordsPerRequest: ['records per produce request', '', 1],
  rttMs: ['emulated round-trip time, services ↔ broker', 'ms', 0],
  restartToReadyMs: ['SIGKILL → restarted service ready', 'ms', 0],
  restartToMetricsMs: ['SIGKILL → process up (/metrics answers)', 'ms', 0],
  restoredRecords: ['changelog records restored', '', 0],
  restoreSecondsSum: ['time spent restoring (sum over stores)', 's', 2],
  sustainedRate: ['highest sustained input rate, whole pipeline', 'rec/s', 0],
  'sustainedRate.checkout': ['highest sustained input rate, checkout', 'rec/s', 0],
  'sustainedRate.fulfillment': ['highest sustained input rate, fulfillment', 'rec/s', 0],
  'sustainedRate.marketing': ['highest sustained input rate, marketing', 'rec/s', 0],
};

export const label = (f: string) => {
  const [l, unit] = FIGURES[f] ?? [f, '', 2];
  return unit ? `${l} (${unit})` : l;
};
export const num = (f: string, v: number | undefined) => {
  if (v === undefined || !Number.isFinite(v)) return '—';
  const d = FIGURES[f]?.[2] ?? 2;
  return v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
};
export const cell = (f: string, s: RunStats | undefined) =>
  s ? `${num(f, s.median)} (${num(f, s.min)}–${num(f, s.max)})` : '—';

/** Writes a chart next to the playbook pages; returns the link a page uses. */
export function writeSvg(name: string, svg: string): string {
  mkdirSync(IMG, { recursive: true });
  writeFileSync(join(IMG, name), svg);
  return `img/${name}`;
}
