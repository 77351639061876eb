import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeMachine, type MachineDescription } from './machine';

export const RESULT_SCHEMA_VERSION = 1;

/** A results file: what ran, on what, when, and the figures it produced. */
export interface ResultFile<T = unknown> {
  schemaVersion: number;
  /** Scenario name, e.g. `commit-interval` or `micro/streamstreamjoin`. */
  scenario: string;
  createdAt: string;
  machine: MachineDescription;
  /** Git commit or other identification of the code measured, when known. */
  revision?: string;
  data: T;
}

/** File-name-safe form of a scenario name. */
export function resultFileName(scenario: string, createdAt: Date): string {
  const stamp = createdAt.toISOString().replace(/[:.]/g, '-');
  return `${scenario.replace(/[^a-zA-Z0-9._-]+/g, '_')}-${stamp}.json`;
}

/**
 * Writes `<dir>/<scenario>-<timestamp>.json` with the machine description,
 * atomically (temp file + rename) so a report never reads half a file.
 */
export async function writeResultFile<T>(
  dir: string,
  scenario: string,
  data: T,
  options: { revision?: string; now?: Date } = {},
): Promise<{ path: string; result: ResultFile<T> }> {
  const now = options.now ?? new Date();
  const result: ResultFile<T> = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    scenario,
    createdAt: now.toISOString(),
    machine: describeMachine(),
    ...(options.revision ? { revision: options.revision } : {}),
    data,
  };
  await mkdir(dir, { recursive: true });
  const path = join(dir, resultFileName(scenario, now));
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(result, null, 2)}\n`);
  await rename(tmp, path);
  return { path, result };
}

/** Every results file in `dir` (optionally of one scenario), oldest first. */
export async function readResultFiles<T = unknown>(dir: string, scenario?: string): Promise<ResultFile<T>[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const results: ResultFile<T>[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const parsed = JSON.parse(await readFile(join(dir, name), 'utf8')) as ResultFile<T>;
    if (parsed.schemaVersion !== RESULT_SCHEMA_VERSION) continue;
    if (scenario === undefined || parsed.scenario === scenario) results.push(parsed);
  }
  return results.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
