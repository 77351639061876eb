import type { PipelineScenario } from '../lib/scenario-types';
import { scale, quick, checkoutLoad, ALL_TOPICS, beforeAfter } from './shared';

export const memory: PipelineScenario = {
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
  variants: beforeAfter('memory'),
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
};
