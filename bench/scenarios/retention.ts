import type { PipelineScenario } from '../lib/scenario-types';
import { scale, quick, checkoutLoad, CHECKOUT_TOPICS, beforeAfter } from './shared';

export const retention: PipelineScenario = {
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
  variants: beforeAfter('retention'),
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
};
