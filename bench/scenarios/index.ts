import type { PipelineScenario } from '../lib/scenario-types';
import { batching, batchingSweep } from './batching';
import { commitInterval, commitIntervalSweep, guarantee } from './commit-interval';
import { memory } from './memory';
import { retention } from './retention';
import { capacity, pipeline } from './whole-pipeline';

/**
 * One scenario per playbook step, in the pages' order. Full size is the reference
 * pipeline's own windows (scale 1) and minutes of load: a run takes its load plus ~3.5 min
 * (start, the generator's drain of ~2.8 min so the last windows close, the verifier's idle
 * wait). `--quick` (windows and delays x0.2, seconds of load) only checks that the tooling
 * works; its figures teach nothing. Every run isolates itself with a topic prefix and a
 * fresh state dir.
 */
export const scenarios: PipelineScenario[] = [
  memory,
  commitInterval,
  commitIntervalSweep,
  batching,
  batchingSweep,
  retention,
  guarantee,
  pipeline,
  capacity,
];

export function findScenario(name: string): PipelineScenario | undefined {
  return scenarios.find((s) => s.name === name);
}
