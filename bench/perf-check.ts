/**
 * `npm run perf:check -- [--report verifier-report.json] [--targets bench/targets.json]`:
 * checks a verifier report against per-component targets with the verifier's own check
 * command, and exits non-zero when a target is missed (1) or the check cannot run (2),
 * so a team's CI can gate on it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, TSX } from './lib/processes';

const { values } = parseArgs({
  options: {
    report: { type: 'string', default: 'verifier-report.json' },
    targets: { type: 'string', default: join(ROOT, 'bench/targets.json') },
  },
});
const result = spawnSync(
  TSX,
  [join(ROOT, 'apps/verifier/src/check.ts'), '--report', values.report!, '--targets', values.targets!],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 2);
