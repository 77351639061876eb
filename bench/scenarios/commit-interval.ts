import type { PipelineScenario } from '../lib/scenario-types';
import {
  scale,
  quick,
  checkoutLoad,
  checkoutCrash,
  CHECKOUT_TOPICS,
  beforeAfter,
  exactlyOnce,
} from './shared';

export const commitInterval: PipelineScenario = {
  kind: 'pipeline',
  name: 'commit-interval',
  lessons: [
    {
      figure: 'lastStageP50Ms',
      variant: 'after',
      than: 'before',
      expect: 'lower',
      claim: 'a 1 s commit interval lowers end-to-end p50 (the account: a larger one adds artificial delay)',
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
  variants: beforeAfter('commit-interval'),
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
};

export const commitIntervalSweep: PipelineScenario = {
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
};

export const guarantee: PipelineScenario = {
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
      overrides: exactlyOnce,
    },
    // SIGKILLed and restarted 100 s into the load: past three 30 s commits
    { name: 'before-sigkill', profile: 'baseline', crash: checkoutCrash },
    {
      name: 'after-sigkill',
      profile: 'baseline',
      overrides: exactlyOnce,
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
};
