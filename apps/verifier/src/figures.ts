import { checkTargets, type Targets } from '@streamtune/perf';
import type { VerifierReport } from './verify';

/**
 * The report's figures under flat names that a targets file can refer to:
 * `<topic>.p50Ms|p99Ms|p999Ms|completeness|duplicates|unexpected|throughputPerSec`,
 * `e2e.p50Ms|p99Ms|p999Ms`, `timeToCompleteMs`.
 */
export function reportFigures(report: VerifierReport): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const t of report.topics) {
    const live = t.latencyMs.count > 0;
    out[`${t.topic}.p50Ms`] = live ? t.latencyMs.p50 : undefined;
    out[`${t.topic}.p99Ms`] = live ? t.latencyMs.p99 : undefined;
    out[`${t.topic}.p999Ms`] = live ? t.latencyMs.p999 : undefined;
    out[`${t.topic}.completeness`] = t.completeness;
    out[`${t.topic}.duplicates`] = t.duplicates;
    out[`${t.topic}.unexpected`] = t.unexpected;
    out[`${t.topic}.throughputPerSec`] = t.throughput.perSecond;
  }
  const e2e = report.endToEnd.latencyMs;
  out['e2e.p50Ms'] = e2e.count ? e2e.p50 : undefined;
  out['e2e.p99Ms'] = e2e.count ? e2e.p99 : undefined;
  out['e2e.p999Ms'] = e2e.count ? e2e.p999 : undefined;
  out.timeToCompleteMs = report.endToEnd.timeToCompleteMs;
  return out;
}

/** Adds the target checks to a report (and its failures to the verdict). */
export function applyTargets(report: VerifierReport, targets: Targets): VerifierReport {
  const { checks } = checkTargets(reportFigures(report), targets);
  const failures = [...report.failures, ...checks.filter((c) => !c.ok).map((c) => `target: ${c.reason}`)];
  return { ...report, targets: checks, failures, verdict: failures.length ? 'fail' : 'pass' };
}
