import { joinOutputsOf, OUTPUT_TOPICS } from '@streamtune/reference-model';
import type { PipelineScenario } from './lib/scenario-types';

/**
 * One scenario per playbook step. Sizes are for a 2-core machine shared with other work:
 * a run takes one to two minutes, a scenario a few to a quarter of an hour. `--quick`
 * shrinks the load further. Every run isolates itself with a topic prefix and a fresh
 * state dir, so scenarios can share a broker.
 */
const CHECKOUT_TOPICS = joinOutputsOf('checkout');
const ALL_TOPICS = [...OUTPUT_TOPICS];

/** Windows and the generator's delays scaled together, so a run's windows close within seconds. */
const SCALE = 0.2;

const checkoutLoad = { rate: 200, recordSize: 6144, timeScale: SCALE, duration: '60s' };

export const scenarios: PipelineScenario[] = [
  {
    kind: 'pipeline',
    name: 'memory',
    title: 'Off-heap memory: one LevelDB per segment vs one bounded LevelDB per task',
    page: '2-off-heap-memory.md',
    services: ['checkout'],
    topics: CHECKOUT_TOPICS,
    windowScale: SCALE,
    load: { ...checkoutLoad, duration: '90s' },
    quickLoad: { duration: '45s' },
    variants: [
      { name: 'before', profile: 'baseline' },
      { name: 'after', profile: 'memory' },
    ],
    defaultRuns: 3,
    headline: [
      'peakRssMb',
      'finalRssMb',
      'peakHeapUsedMb',
      'peakNativeMb',
      'peakStoreInstances',
      'peakStoreMemoryMb',
      'footprintMb',
      'processedPerSec',
      'lastStageP99Ms',
      'completeness',
    ],
  },
  {
    kind: 'pipeline',
    name: 'commit-interval',
    title: 'commitIntervalMs: 30 s (default) vs 1 s',
    page: '3-commit-interval.md',
    services: ['checkout'],
    topics: CHECKOUT_TOPICS,
    windowScale: SCALE,
    load: checkoutLoad,
    quickLoad: { duration: '30s' },
    variants: [
      { name: 'before', profile: 'baseline' },
      { name: 'after', profile: 'commit-interval' },
    ],
    defaultRuns: 3,
    headline: [
      'commitsPerSec',
      'processedPerSec',
      'lastStageP50Ms',
      'lastStageP99Ms',
      'worstStageP99Ms',
      'timeToCompleteMs',
      'lastInputProcessedAtMs',
      'cpuPercent',
      'completeness',
    ],
  },
  {
    kind: 'pipeline',
    name: 'commit-interval-sweep',
    title: 'commitIntervalMs sweep',
    page: '3-commit-interval.md',
    services: ['checkout'],
    topics: CHECKOUT_TOPICS,
    windowScale: SCALE,
    load: { ...checkoutLoad, duration: '40s' },
    quickLoad: { duration: '25s' },
    sweep: { knob: 'commitIntervalMs', xLabel: 'commitIntervalMs (log)', logX: true },
    variants: [100, 1000, 5000, 30000].map((ms) => ({
      name: `commit-${ms}`,
      profile: 'baseline',
      overrides: { commitIntervalMs: ms },
      x: ms,
    })),
    defaultRuns: 1,
    headline: [
      'commitsPerSec',
      'processedPerSec',
      'lastStageP99Ms',
      'worstStageP99Ms',
      'cpuPercent',
      'completeness',
    ],
  },
  {
    kind: 'pipeline',
    name: 'batching',
    title: 'Producer batchSize 16 KiB / lingerMs 0 vs 1 MiB / 50 ms, ~6 KB records',
    page: '4-producer-batching.md',
    services: ['checkout'],
    topics: CHECKOUT_TOPICS,
    windowScale: SCALE,
    load: checkoutLoad,
    quickLoad: { duration: '30s' },
    variants: [
      { name: 'before', profile: 'baseline' },
      { name: 'after', profile: 'batching' },
    ],
    defaultRuns: 3,
    headline: [
      'produceRequestsPerSec',
      'recordsPerProduceRequest',
      'processedPerSec',
      'lastStageP50Ms',
      'lastStageP99Ms',
      'timeToCompleteMs',
      'lastInputProcessedAtMs',
      'cpuPercent',
      'completeness',
    ],
  },
  {
    kind: 'pipeline',
    name: 'batching-sweep',
    title: 'Producer batchSize x lingerMs, ~6 KB records',
    page: '4-producer-batching.md',
    services: ['checkout'],
    topics: CHECKOUT_TOPICS,
    windowScale: SCALE,
    load: { ...checkoutLoad, duration: '30s' },
    quickLoad: { duration: '20s' },
    sweep: { knob: 'producer.lingerMs', xLabel: 'lingerMs' },
    variants: [16384, 1048576].flatMap((batchSize) =>
      [0, 5, 50].map((lingerMs) => ({
        name: `batch-${batchSize === 16384 ? '16k' : '1m'}-linger-${lingerMs}`,
        profile: 'baseline',
        overrides: { producer: { batchSize, lingerMs } },
        x: lingerMs,
      })),
    ),
    defaultRuns: 1,
    headline: [
      'produceRequestsPerSec',
      'recordsPerProduceRequest',
      'processedPerSec',
      'lastStageP99Ms',
      'cpuPercent',
    ],
  },
  {
    kind: 'pipeline',
    name: 'retention',
    title: 'Changelog retention and restore after SIGKILL',
    page: '5-changelog-restore.md',
    services: ['checkout'],
    topics: CHECKOUT_TOPICS,
    windowScale: SCALE,
    load: { ...checkoutLoad, duration: '60s' },
    quickLoad: { duration: '40s' },
    crash: { service: 'checkout', afterMs: 30_000 },
    recordChangelogs: true,
    variants: [
      { name: 'before', profile: 'baseline' },
      { name: 'after', profile: 'retention' },
    ],
    defaultRuns: 3,
    timeout: '8m',
    headline: [
      'restartToReadyMs',
      'restartToMetricsMs',
      'restoredRecords',
      'restoreSecondsSum',
      'duplicates',
      'completeness',
      'lastStageP99Ms',
    ],
  },
  {
    kind: 'pipeline',
    name: 'pipeline',
    title: 'The whole pipeline (3 services, 8 joins): baseline vs tuned',
    page: '0-divide-and-conquer.md',
    services: ['checkout', 'fulfillment', 'marketing'],
    topics: ALL_TOPICS,
    windowScale: SCALE,
    load: { ...checkoutLoad, rate: 200, duration: '60s' },
    quickLoad: { duration: '30s' },
    variants: [
      { name: 'before', profile: 'baseline' },
      { name: 'after', profile: 'tuned' },
    ],
    defaultRuns: 3,
    timeout: '8m',
    headline: [
      'timeToCompleteMs',
      'e2eP50Ms',
      'e2eP99Ms',
      'worstStageP99Ms',
      'processedPerSec',
      'peakRssMb',
      'produceRequestsPerSec',
      'cpuPercent',
      'completeness',
    ],
  },
];

export function findScenario(name: string): PipelineScenario | undefined {
  return scenarios.find((s) => s.name === name);
}
