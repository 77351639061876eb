import { isWallClock, type OutRecord, type Scenario, type ScenarioResult } from './scenario';

export interface Difference {
  readonly scenario: Scenario;
  /** Index of the first step whose output differs, or -1 when a runner failed. */
  readonly step: number;
  readonly expected: readonly OutRecord[] | string;
  readonly actual: readonly OutRecord[] | string;
  /** Whether the outputs over all steps, concatenated, are the same (only the moment differs). */
  readonly finalIdentical: boolean;
}

export interface Comparison {
  readonly scenarios: number;
  /** Identical output after every step. */
  readonly identicalPerStep: number;
  /** Identical output over the whole scenario (concatenated). */
  readonly identicalFinal: number;
  readonly differences: readonly Difference[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Compares Kafka Streams' results (expected) with streamtune's (actual), scenario by scenario. */
export function compare(
  scenarios: readonly Scenario[],
  expected: readonly ScenarioResult[],
  actual: readonly ScenarioResult[],
): Comparison {
  let identicalPerStep = 0;
  let identicalFinal = 0;
  const differences: Difference[] = [];
  scenarios.forEach((scenario, i) => {
    const e = expected[i];
    const a = actual[i];
    if (!e || !a || e.id !== scenario.id || a.id !== scenario.id)
      throw new Error(`results out of line with scenarios at ${scenario.id}`);
    if (e.error || a.error) {
      // both rejecting the topology alike is agreement; the suite's generator never makes such
      if (e.error && a.error) {
        identicalPerStep++;
        identicalFinal++;
      } else {
        differences.push({
          scenario,
          step: -1,
          expected: e.error ?? 'no error',
          actual: a.error ?? 'no error',
          finalIdentical: false,
        });
      }
      return;
    }
    const finalIdentical = same(e.steps.flat(), a.steps.flat());
    if (finalIdentical) identicalFinal++;
    const step = e.steps.findIndex((records, s) => !same(records, a.steps[s]));
    if (step === -1 && e.steps.length === a.steps.length) identicalPerStep++;
    else {
      const at = step === -1 ? e.steps.length : step;
      differences.push({
        scenario,
        step: at,
        expected: e.steps[at] ?? [],
        actual: a.steps[at] ?? [],
        finalIdentical,
      });
    }
  });
  return { scenarios: scenarios.length, identicalPerStep, identicalFinal, differences };
}

/** Size of a scenario for "smallest": steps first, then operations. */
export function scenarioSize(s: Scenario): number {
  const t = s.topology;
  const ops = t.left.length + (t.right?.length ?? 0) + (t.after?.length ?? 0);
  return s.steps.length * 100 + ops;
}

export function smallest(differences: readonly Difference[]): Difference | undefined {
  return [...differences].sort((a, b) => scenarioSize(a.scenario) - scenarioSize(b.scenario))[0];
}

const fmt = (records: readonly OutRecord[] | string) =>
  typeof records === 'string'
    ? records
    : records.length === 0
      ? '(nothing)'
      : records.map(([k, v, t]) => `${k}:${v}@${t}`).join(', ');

/** A difference as text: the scenario as JSON, the steps with their outputs up to the first difference. */
export function formatDifference(d: Difference, expectedName: string): string {
  const lines = [
    `scenario ${d.scenario.id}: ${d.step < 0 ? 'a runner failed' : `first difference at step ${d.step}`}` +
      (d.finalIdentical ? ' (final output identical, only the moment differs)' : ''),
    `  topology ${JSON.stringify(d.scenario.topology)}`,
  ];
  d.scenario.steps.forEach((step, i) => {
    if (d.step >= 0 && i > d.step) return;
    const what = isWallClock(step)
      ? `advanceWallClockTime(${step.advanceWallClockMs})`
      : `${step.input} ${step.key}:${step.value}@${step.timestamp}`;
    lines.push(`  step ${i}: ${what}`);
  });
  lines.push(`  ${expectedName}: ${fmt(d.expected)}`);
  lines.push(`  streamtune: ${fmt(d.actual)}`);
  lines.push(`  scenario JSON: ${JSON.stringify(d.scenario)}`);
  return lines.join('\n');
}
