import { joinOutputsOf, OUTPUT_TOPICS } from '@streamtune/reference-model';
import type { PipelineScenario } from './lib/scenario-types';

/**
 * One scenario per playbook step. Full size is the reference pipeline's own windows (scale
 * 1) and minutes of load: a run takes its load plus ~3.5 min (start, the generator's drain
 * of ~2.8 min so the last windows close, the verifier's idle wait). `--quick` (windows and
 * delays x0.2, seconds of load) only checks that the tooling works; its figures teach
 * nothing. Every run isolates itself with a topic prefix and a fresh state dir.
 */
const CHECKOUT_TOPICS = joinOutputsOf('checkout');
const ALL_TOPICS = [...OUTPUT_TOPICS];

/** --quick: windows and the generator's delays scaled together, so windows close within seconds. */
const QUICK_SCALE = 0.2;
const scale = { windowScale: 1, quickWindowScale: QUICK_SCALE };
const quick = (duration: string) => ({ duration, timeScale: QUICK_SCALE });

const checkoutLoad = { rate: 200, recordSize: 6144, timeScale: 1, duration: '3m' };
const checkoutCrash = { service: 'checkout' as const, afterMs: 100_000, quickAfterMs: 20_000 };

export const scenarios: PipelineScenario[] = [
  {
    kind: 'pipeline',
    name: 'memory',
    lessons: [
      {
        figure: 'peakRssMb',
        variant: 'after',
        than: 'before',
        expect: 'lower',
        claim: 'the bounded layout peaks lower in RSS',
      },
      {
        figure: 'peakNativeMb',
        variant: 'after',
        than: 'before',
        expect: 'lower',
        claim: 'the saving is native (LevelDB) memory, not V8 heap',
      },
      {
        figure: 'oomKilled',
        variant: 'after',
        than: 'before',
        expect: 'lower',
        claim: 'under the same cap, the per-segment layout is killed for memory and the bounded one is not',
      },
    ],
    title: 'Off-heap memory: one LevelDB per segment vs one bounded LevelDB per task',
    page: '2-off-heap-memory.md',
    // the whole pipeline: memory grows with stores x partitions x segments, all eight joins
    services: ['checkout', 'fulfillment', 'marketing'],
    topics: ALL_TOPICS,
    ...scale,
    // minutes, so memtables and caches fill
    load: { ...checkoutLoad, duration: '10m' },
    quickLoad: quick('45s'),
    timeout: '16m',
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
      'memoryCapMb',
      'oomKilled',
      'oomKilledAtS',
      'cgroupPeakMb',
    ],
  },
  {
    kind: 'pipeline',
    name: 'commit-interval',
    lessons: [
      {
        figure: 'lastStageP50Ms',
        variant: 'after',
        than: 'before',
        expect: 'lower',
        claim:
          'a 1 s commit interval lowers end-to-end p50 (the account: a larger one adds artificial delay)',
      },
    ],
    title: 'commitIntervalMs: 30 s (default) vs 1 s',
    page: '3-commit-interval.md',
    // one service: the knob is per service, and checkout's three joins carry the effect
    services: ['checkout'],
    topics: CHECKOUT_TOPICS,
    ...scale,
    load: { ...checkoutLoad, duration: '5m' },
    quickLoad: quick('30s'),
    timeout: '11m',
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
    lessons: [
      {
        figure: 'commitsPerSec',
        variant: 'commit-100',
        than: 'commit-30000',
        expect: 'higher',
        claim: 'a short interval commits far more often',
      },
      {
        figure: 'duplicates',
        variant: 'commit-100-sigkill',
        than: 'commit-30000-sigkill',
        expect: 'lower',
        claim: 'a short interval re-processes less after a SIGKILL',
      },
    ],
    title: 'commitIntervalMs sweep',
    page: '3-commit-interval.md',
    services: ['checkout'],
    topics: CHECKOUT_TOPICS,
    ...scale,
    load: { ...checkoutLoad, duration: '3m' },
    quickLoad: quick('30s'),
    timeout: '9m',
    sweep: { knob: 'commitIntervalMs', xLabel: 'commitIntervalMs (log)', logX: true },
    // each point twice: undisturbed (throughput, latency, commits), and with checkout
    // SIGKILLed and restarted mid-load (duplicate results: what was processed since the
    // last commit is processed again). 100 s in is past three 30 s commits at full size.
    variants: [100, 1000, 5000, 30000].flatMap((ms) => [
      { name: `commit-${ms}`, profile: 'baseline', overrides: { commitIntervalMs: ms }, x: ms },
      {
        name: `commit-${ms}-sigkill`,
        profile: 'baseline',
        overrides: { commitIntervalMs: ms },
        x: ms,
        crash: checkoutCrash,
      },
    ]),
    defaultRuns: 3,
    headline: [
      'commitsPerSec',
      'processedPerSec',
      'lastStageP50Ms',
      'lastStageP99Ms',
      'worstStageP99Ms',
      'duplicates',
      'cpuPercent',
      'completeness',
    ],
  },
  {
    kind: 'pipeline',
    name: 'batching',
    lessons: [
      {
        figure: 'recordsPerRequest',
        variant: 'after',
        than: 'before',
        expect: 'higher',
        claim: '1 MiB / 50 ms puts more records in each produce request',
      },
      {
        figure: 'processedPerSec',
        variant: 'after',
        than: 'before',
        expect: 'higher',
        claim: 'and that raises throughput with network latency',
      },
    ],
    title: 'Producer batchSize 16 KiB / lingerMs 0 vs 1 MiB / 50 ms, ~6 KB records',
    page: '4-producer-batching.md',
    // one service: the emulated network sits between checkout and the broker (--rtt-ms)
    services: ['checkout'],
    topics: CHECKOUT_TOPICS,
    ...scale,
    load: checkoutLoad,
    quickLoad: quick('30s'),
    timeout: '9m',
    variants: [
      { name: 'before', profile: 'baseline' },
      { name: 'after', profile: 'batching' },
    ],
    defaultRuns: 3,
    headline: [
      'requestsPerSec',
      'recordsPerRequest',
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
    ...scale,
    load: { ...checkoutLoad, duration: '2m' },
    quickLoad: quick('20s'),
    timeout: '8m',
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
    lessons: [
      {
        figure: 'restartToReadyMs',
        variant: 'after',
        than: 'before',
        expect: 'lower',
        claim: 'window-sized changelog retention restores faster after a wipe',
      },
    ],
    title: 'Changelog retention and restore after SIGKILL',
    page: '5-changelog-restore.md',
    services: ['checkout'],
    topics: CHECKOUT_TOPICS,
    ...scale,
    load: { ...checkoutLoad, duration: '5m' },
    quickLoad: quick('40s'),
    crash: { service: 'checkout', afterMs: 30_000 },
    recordChangelogs: true,
    variants: [
      { name: 'before', profile: 'baseline' },
      { name: 'after', profile: 'retention' },
    ],
    defaultRuns: 3,
    timeout: '11m',
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
    name: 'guarantee',
    lessons: [
      {
        figure: 'commitsPerSec',
        variant: 'after',
        than: 'before',
        expect: 'higher',
        claim: 'exactly_once_v2 commits (one transaction per task) every 100 ms instead of every 30 s',
      },
      {
        figure: 'duplicates',
        variant: 'after-sigkill',
        than: 'before-sigkill',
        expect: 'lower',
        claim:
          'after a SIGKILL, exactly_once_v2 writes no result twice; at-least-once repeats what it had not committed',
      },
    ],
    title: 'At-least-once (commit 30 s) or exactly-once (exactly_once_v2, commit 100 ms)',
    page: '3-commit-interval.md',
    // checkout alone: the guarantee is per service, and its three joins carry the cost
    services: ['checkout'],
    topics: CHECKOUT_TOPICS,
    ...scale,
    load: { ...checkoutLoad, duration: '3m' },
    quickLoad: quick('30s'),
    timeout: '9m',
    variants: [
      { name: 'before', profile: 'baseline' },
      {
        name: 'after',
        profile: 'baseline',
        overrides: { processingGuarantee: 'exactly_once_v2', commitIntervalMs: 100 },
      },
      // SIGKILLed and restarted 100 s into the load: past three 30 s commits
      { name: 'before-sigkill', profile: 'baseline', crash: checkoutCrash },
      {
        name: 'after-sigkill',
        profile: 'baseline',
        overrides: { processingGuarantee: 'exactly_once_v2', commitIntervalMs: 100 },
        crash: checkoutCrash,
      },
    ],
    defaultRuns: 3,
    headline: [
      'processedPerSec',
      'commitsPerSec',
      'lastStageP50Ms',
      'lastStageP99Ms',
      'duplicates',
      'cpuPercent',
      'completeness',
    ],
  },
  {
    kind: 'pipeline',
    name: 'pipeline',
    lessons: [
      {
        figure: 'e2eP99Ms',
        variant: 'after',
        than: 'before',
        expect: 'lower',
        claim: 'the tuned pipeline has a lower end-to-end p99',
      },
    ],
    title: 'The whole pipeline (3 services, 8 joins): baseline vs tuned',
    page: '0-divide-and-conquer.md',
    services: ['checkout', 'fulfillment', 'marketing'],
    topics: ALL_TOPICS,
    ...scale,
    load: { ...checkoutLoad, rate: 200, duration: '5m' },
    quickLoad: quick('30s'),
    variants: [
      { name: 'before', profile: 'baseline' },
      { name: 'after', profile: 'tuned' },
    ],
    defaultRuns: 3,
    timeout: '11m',
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
  {
    kind: 'pipeline',
    name: 'capacity',
    title:
      'Highest sustainable input rate, whole pipeline: the rate steps up every 150 s; a step is sustained while no service lag grows over its last 2 minutes',
    page: '0-divide-and-conquer.md',
    services: ['checkout', 'fulfillment', 'marketing'],
    topics: ALL_TOPICS,
    ...scale,
    // 15 minutes of load; the top steps are past what 2 cores carry, so the search ends in them
    load: {
      ...checkoutLoad,
      rateSteps: { rates: [100, 200, 300, 400, 600, 800], stepDuration: '150s' },
    },
    quickLoad: { timeScale: QUICK_SCALE, rateSteps: { rates: [100, 300], stepDuration: '50s' } },
    variants: [
      { name: 'before', profile: 'baseline' },
      { name: 'after', profile: 'tuned' },
    ],
    defaultRuns: 3,
    // the backlog of the steps past the limit drains before the verifier is done
    timeout: '40m',
    headline: [
      'sustainedRate',
      'sustainedRate.checkout',
      'sustainedRate.fulfillment',
      'sustainedRate.marketing',
      'processedPerSec',
      'peakRssMb',
      'cpuPercent',
    ],
  },
];

export function findScenario(name: string): PipelineScenario | undefined {
  return scenarios.find((s) => s.name === name);
}
