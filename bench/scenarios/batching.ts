import type { PipelineScenario } from '../lib/scenario-types';
import { scale, quick, checkoutLoad, CHECKOUT_TOPICS, beforeAfter } from './shared';

export const batching: PipelineScenario = {
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
  variants: beforeAfter('batching'),
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
};

export const batchingSweep: PipelineScenario = {
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
};
