import type { PipelineScenario } from '../lib/scenario-types';
import { scale, quick, checkoutLoad, ALL_TOPICS, beforeAfter, QUICK_SCALE } from './shared';

export const pipeline: PipelineScenario = {
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
  variants: beforeAfter('tuned'),
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
};

export const capacity: PipelineScenario = {
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
  variants: beforeAfter('tuned'),
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
};
