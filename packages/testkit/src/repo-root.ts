import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root: the nearest ancestor that holds infra/kafka/start.sh. */
export function repoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'infra', 'kafka', 'start.sh'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`testkit: no infra/kafka/start.sh above ${from}`);
    dir = parent;
  }
}
