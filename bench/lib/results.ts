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
 * one file per scenario so the report and the docs always read the latest run. `machine` is
 * the machine as the run found it (its load decides whether the figures count); the
 * description when the file is written, load included, goes beside it as `machineAtEnd`.
 */
export function writeScenarioResult<T>(
  scenario: string,
  data: T,
  machineAtStart: MachineDescription,
): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const result: ResultFile<T & { machineAtEnd: MachineDescription }> = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    scenario,
    createdAt: new Date().toISOString(),
    machine: machineAtStart,
    ...(revision() ? { revision: revision() as string } : {}),
    data: { ...data, machineAtEnd: describeMachine() },
  };
  const path = join(RESULTS_DIR, `${scenario}.json`);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(result, null, 1)}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}

/**
 * The load averages (1, 5, 15 minutes) when a results file was written. Files written before
 * `machineAtEnd` existed hold them in `machine`. (The start load that decides whether a run
 * counts is each run's own figure.)
 */
export function loadAtEnd(r: ResultFile<unknown>): number[] {
  const d = r.data as { machineAtEnd?: MachineDescription };
  return (d.machineAtEnd ?? r.machine).loadAverage;
}
