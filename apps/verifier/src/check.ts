/**
 * Checks a saved verifier report against a targets file, without a broker:
 * `npx tsx apps/verifier/src/check.ts --report verifier-report.json --targets targets.json`.
 * Exits 1 when a target is missed, so a team's CI can gate on it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readTargets } from './cli';
import { applyTargets } from './figures';
import type { VerifierReport } from './verify';

try {
  const { values } = parseArgs({ options: { report: { type: 'string' }, targets: { type: 'string' } } });
  if (!values.report || !values.targets)
    throw new Error('usage: check.ts --report <verifier-report.json> --targets <targets.json>');
  const report = JSON.parse(readFileSync(values.report, 'utf8')) as VerifierReport;
  const checked = applyTargets({ ...report, failures: [], verdict: 'pass' }, readTargets(values.targets));
  for (const c of checked.targets ?? []) {
    console.log(
      `${c.ok ? 'ok  ' : 'MISS'} ${c.name} = ${c.value ?? 'not measured'} (${JSON.stringify(c.target)})`,
    );
  }
  console.log(checked.verdict === 'pass' ? 'all targets met' : `${checked.failures.length} target(s) missed`);
  process.exit(checked.verdict === 'pass' ? 0 : 1);
} catch (err) {
  console.error(`perf check: ${(err as Error).message}`);
  process.exit(2);
}
