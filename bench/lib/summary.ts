import { compareRuns, runStats, type Comparison, type RunStats } from '@streamtune/perf';

export interface RunLike {
  variant: string;
  ok: boolean;
  figures: Record<string, number | undefined>;
  crash?: Record<string, number | undefined>;
}

export type VariantSummary = Record<string, RunStats>;

function valuesOf(runs: RunLike[], variant: string, figure: string): number[] {
  return runs
    .filter((r) => r.ok && r.variant === variant)
    .map((r) => r.figures[figure] ?? r.crash?.[figure])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** Median, range and spread of every figure, per variant, over the runs that completed. */
export function summarise(runs: RunLike[], variants: string[]): Record<string, VariantSummary> {
  const figures = new Set<string>();
  for (const r of runs)
    for (const k of [...Object.keys(r.figures), ...Object.keys(r.crash ?? {})]) figures.add(k);
  const out: Record<string, VariantSummary> = {};
  for (const v of variants) {
    const s: VariantSummary = {};
    for (const f of figures) {
      const values = valuesOf(runs, v, f);
      if (values.length) s[f] = runStats(values);
    }
    out[v] = s;
  }
  return out;
}

/** after/before ratio of medians for every figure both sides measured. */
export function compareBeforeAfter(runs: RunLike[]): Record<string, Comparison> {
  const out: Record<string, Comparison> = {};
  const summary = summarise(runs, ['before', 'after']);
  for (const f of Object.keys(summary.before ?? {})) {
    const b = valuesOf(runs, 'before', f);
    const a = valuesOf(runs, 'after', f);
    if (a.length && b.length) out[f] = compareRuns(b, a);
  }
  return out;
}
