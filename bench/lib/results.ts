import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  describeMachine,
  RESULT_SCHEMA_VERSION,
  type MachineDescription,
  type ResultFile,
} from '@streamtune/perf';
import { ROOT } from './processes';

export const RESULTS_DIR = join(ROOT, 'bench/results');

function revision(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    return undefined;
  }
}

/**
 * bench/results/<scenario>.json, in @streamtune/perf's ResultFile shape (machine, revision),
 * one file per scenario so the report and the docs always read the latest run.
 */
export function writeScenarioResult<T>(
  scenario: string,
  data: T,
  machineAtStart?: MachineDescription,
): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const result: ResultFile<T & { machineAtStart?: MachineDescription }> = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    scenario,
    createdAt: new Date().toISOString(),
    machine: describeMachine(),
    ...(revision() ? { revision: revision() as string } : {}),
    data: { ...data, ...(machineAtStart ? { machineAtStart } : {}) },
  };
  const path = join(RESULTS_DIR, `${scenario}.json`);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(result, null, 1)}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}
