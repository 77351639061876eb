/**
 * `npm run bench:report`: regenerates the playbook's tables (markdown between
 * `<!-- bench:<name>:begin -->` and `<!-- bench:<name>:end -->` markers) and its SVG charts
 * (docs/playbook/img/) from bench/results/*.json. Nothing in the pages' tables is typed by hand.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { barChartSvg, lineChartSvg, type Comparison, type ResultFile, type RunStats } from '@streamtune/perf';
import { loadAtEnd, RESULTS_DIR } from './lib/results';
import type { RunRecord } from './lib/run-figures';
import { compareBeforeAfter, summarise } from './lib/summary';
import { findScenario } from './scenarios';
import type { PipelineScenario, Variant } from './lib/scenario-types';
import { isNoisy, judge, QUIET_LOAD } from './lib/lessons';
import { cell, FIGURES, label, PLAYBOOK, writeSvg } from './report/format';
import { microSection, type MicroData } from './report/micro-section';
import { profileDiff } from './report/profile-diff';

interface PipelineData {
  title: string;
  page: string;
  services: string[];
  load: Record<string, unknown>;
  windowScale: number;
  quick: boolean;
  runsPerVariant: number;
  wallMs: number;
  variants: Variant[];
  sweep?: { knob: string; xLabel: string; logX?: boolean };
  headline: string[];
  summary: Record<string, Record<string, RunStats>>;
  comparison?: Record<string, Comparison>;
  runs: RunRecord[];
  crash?: { service: string; afterMs: number };
  /** Set by backfill: the runs that started on a quiet machine, the only ones in the tables. */
  counted?: RunRecord[];
}

/** A results file's scenario; an --rtt-ms or --memory-cap-mb file is its base scenario at that setting. */
function scenarioOf(name: string): PipelineScenario | undefined {
  return findScenario(name) ?? findScenario(name.replace(/-(rtt-\d+ms|cap-\d+mb)$/, ''));
}

/**
 * The machine's load: each run's own 1-minute figure at its start (what decides whether it
 * counts), and the load averages when the scenario's file was written.
 */
function loadSentence(r: ResultFile<PipelineData>): string {
  const starts = r.data.runs
    .map((x) => x.figures.loadAverage1mAtStart)
    .filter((v): v is number => v !== undefined);
  const range = starts.length
    ? `1-minute load at each run's start ${Math.min(...starts).toFixed(2)}–${Math.max(...starts).toFixed(2)}, `
    : '';
  return `${range}load average at the end ${loadAtEnd(r).join(' / ')}`;
}

function context(r: ResultFile<PipelineData>): string {
  const d = r.data;
  const ok = d.runs.filter((x) => x.ok).length;
  const counted = d.counted ?? d.runs.filter((x) => x.ok);
  const noisy = d.runs.filter((x) => x.ok && isNoisy(x)).length;
  const incomplete = counted.filter((x) => (x.figures.completeness ?? 0) < 1).length;
  const load = d.load as { rate?: number; duration?: string; orders?: number; recordSize?: number };
  return [
    `Measured ${r.createdAt.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cores} cores (${r.machine.cpuModel}), ${loadSentence(r)}.`,
    `Services: ${d.services.join(', ')}; load: ${load.rate} input records/s for ${load.orders ? `${load.orders} orders` : load.duration}, ~${load.recordSize} B records, windows ×${d.windowScale}${d.quick ? '; quick size' : ''}.`,
    `${d.runsPerVariant} run(s) per variant, alternating; ${ok} of ${d.runs.length} runs completed, ${noisy} of them noisy (1-minute load above ${QUIET_LOAD.toFixed(1)} at the start) and left out; ${counted.length} counted${counted.length === 0 ? '' : incomplete ? `, ${incomplete} of those with a stage below completeness 1.0` : ', every stage complete in each'}. Cells: median (min–max) of the counted runs.`,
  ].join(' ');
}

function pairTable(r: ResultFile<PipelineData>): string {
  const d = r.data;
  const rows = d.headline.map((f) => {
    const c = d.comparison?.[f];
    const ratio =
      c && Number.isFinite(c.ratio) ? `${c.ratio.toFixed(2)}×${c.separated ? '' : ' (ranges overlap)'}` : '—';
    return `| ${label(f)} | ${cell(f, d.summary.before?.[f])} | ${cell(f, d.summary.after?.[f])} | ${ratio} |`;
  });
  return [context(r), '', '| figure | before | after | after / before |', '|---|---|---|---|', ...rows].join(
    '\n',
  );
}

function sweepTable(r: ResultFile<PipelineData>): string {
  const d = r.data;
  const header = `| ${d.sweep?.knob ?? 'variant'} | ${d.headline.map(label).join(' | ')} |`;
  const rows = d.variants.map(
    (v) => `| ${v.name} | ${d.headline.map((f) => cell(f, d.summary[v.name]?.[f])).join(' | ')} |`,
  );
  return [context(r), '', header, `|${'---|'.repeat(d.headline.length + 1)}`, ...rows].join('\n');
}

/** Charts per scenario; returns markdown image links. */
function charts(r: ResultFile<PipelineData>): string[] {
  const d = r.data;
  const name = r.scenario;
  const out: string[] = [];
  const med = (v: string, f: string) => d.summary[v]?.[f]?.median ?? 0;
  if (name === 'memory' || name.startsWith('memory-cap-') || name === 'pipeline') {
    // memory over time: the first completed run of each variant
    const series = ['before', 'after'].flatMap((v) => {
      const run = (d.counted ?? d.runs).find((x) => x.ok && x.variant === v);
      if (!run) return [];
      return [
        { name: `${v}: RSS`, points: run.series.map((p) => [p.t, p.rssBytes / 2 ** 20] as [number, number]) },
        {
          name: `${v}: native`,
          points: run.series.map((p) => [p.t, p.nativeBytes / 2 ** 20] as [number, number]),
        },
        {
          name: `${v}: V8 heap used`,
          points: run.series.map((p) => [p.t, p.heapUsedBytes / 2 ** 20] as [number, number]),
        },
      ];
    });
    if (series.length) {
      const path = writeSvg(
        `${name}-memory-over-time.svg`,
        lineChartSvg({
          title: `${name}: memory over time (one run each)`,
          xLabel: 'seconds since load started',
          yLabel: 'MB',
          series,
        }),
      );
      out.push(`![memory over time](${path})`);
    }
  }
  if (d.comparison) {
    const figs = d.headline
      .filter((f) => d.summary.before?.[f] && d.summary.after?.[f] && !['completeness'].includes(f))
      .slice(0, 6);
    const path = writeSvg(
      `${name}-before-after.svg`,
      barChartSvg({
        title: `${name}: after / before (median of runs; 1 = no change)`,
        yLabel: 'ratio',
        categories: figs.map((f) => (FIGURES[f]?.[0] ?? f).slice(0, 22)),
        series: [
          { name: 'before', values: figs.map(() => 1) },
          {
            name: 'after',
            values: figs.map((f) => (med('before', f) ? med('after', f) / med('before', f) : 0)),
          },
        ],
        width: 760,
      }),
    );
    out.push(`![before and after](${path})`);
  }
  if (d.sweep) {
    const groups = new Map<string, Variant[]>();
    for (const v of d.variants) {
      // a sweep's SIGKILL runs are a curve of their own (their latency includes the restart)
      const g =
        name === 'batching-sweep'
          ? v.name.replace(/-linger-.*/, '')
          : v.crash
            ? `${name} (SIGKILL runs)`
            : name;
      groups.set(g, [...(groups.get(g) ?? []), v]);
    }
    for (const f of d.headline.filter((x) => x !== 'completeness').slice(0, 3)) {
      const series = [...groups]
        .map(([g, vs]) => ({
          name: g,
          points: vs
            .filter((v) => d.summary[v.name]?.[f])
            .map((v) => [v.x ?? 0, med(v.name, f)] as [number, number]),
        }))
        .filter((s) => s.points.length);
      if (!series.length) continue;
      const path = writeSvg(
        `${name}-${f}.svg`,
        lineChartSvg({
          title: `${name}: ${FIGURES[f]?.[0] ?? f}`,
          xLabel: d.sweep.xLabel,
          yLabel: FIGURES[f]?.[1] ?? '',
          logX: d.sweep.logX,
          series,
        }),
      );
      out.push(`![${f}](${path})`);
    }
  }
  return out;
}

/**
 * Figures added to the harness after a results file was written are derived from what the
 * file kept (the memory/progress series), and the summary is recomputed from the runs.
 */
function backfill(d: PipelineData): void {
  d.counted = d.runs.filter((r) => r.ok && !isNoisy(r));
  for (const run of d.runs) {
    if (!run.ok || run.figures.lastInputProcessedAtMs !== undefined) continue;
    const s = run.series;
    const last = s.findLastIndex((p, i) => i > 0 && p.recordsProcessed > (s[i - 1]?.recordsProcessed ?? 0));
    if (last >= 0) run.figures.lastInputProcessedAtMs = (s[last]?.t ?? 0) * 1000;
  }
  const variants = d.variants.map((v) => v.name);
  d.summary = summarise(d.counted, variants);
  if (d.comparison) d.comparison = compareBeforeAfter(d.counted);
}

/** One line per lesson of the step: shown only when the counted runs' ranges do not overlap. */
function lessonLines(d: PipelineData, scenario: PipelineScenario | undefined): string[] {
  return (
    (scenario?.lessons ?? [])
      // a lesson whose figure no run has is another setting's (oomKilled without a cap)
      .filter((l) =>
        d.runs.some((r) => r.figures[l.figure] !== undefined || r.crash?.[l.figure] !== undefined),
      )
      .map((l) => {
        const v = judge(l, d.summary);
        const a = cell(l.figure, d.summary[l.variant]?.[l.figure]);
        const b = cell(l.figure, d.summary[l.than]?.[l.figure]);
        return `- **Lesson shown: ${v.shown ? 'yes' : 'no'}** — ${l.claim}: ${label(l.figure)} ${l.variant} ${a} vs ${l.than} ${b}; ${v.why}.`;
      })
  );
}

function replaceBlock(page: string, name: string, body: string): boolean {
  const path = join(PLAYBOOK, page);
  if (!existsSync(path)) return false;
  const text = readFileSync(path, 'utf8');
  const begin = `<!-- bench:${name}:begin (generated by npm run bench:report) -->`;
  const end = `<!-- bench:${name}:end -->`;
  const re = new RegExp(`<!-- bench:${name}:begin[^>]*-->[\\s\\S]*?<!-- bench:${name}:end -->`);
  if (!re.test(text)) return false;
  writeFileSync(path, text.replace(re, `${begin}\n\n${body}\n\n${end}`));
  return true;
}

for (const [page, profile] of [
  ['2-off-heap-memory.md', 'memory'],
  ['3-commit-interval.md', 'commit-interval'],
  ['4-producer-batching.md', 'batching'],
  ['5-changelog-restore.md', 'retention'],
  ['0-divide-and-conquer.md', 'tuned'],
] as const) {
  replaceBlock(page, `diff-${profile}`, profileDiff(profile));
}

const files = existsSync(RESULTS_DIR) ? readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json')) : [];
for (const file of files.sort()) {
  const r = JSON.parse(readFileSync(join(RESULTS_DIR, file), 'utf8')) as ResultFile<PipelineData & MicroData>;
  let body: string;
  let page: string;
  if (r.scenario === 'simple-benchmark') {
    body = microSection(r as ResultFile<MicroData>);
    page = '6-beyond.md';
  } else {
    const d = r.data;
    backfill(d);
    const scenario = scenarioOf(r.scenario);
    d.headline = scenario?.headline ?? d.headline;
    if (!d.runs.some((x) => x.ok)) {
      console.error(`bench:report: ${file} has no completed run; skipped`);
      continue;
    }
    const table = d.comparison ? pairTable(r) : sweepTable(r);
    const lessons = lessonLines(d, scenario);
    body = [table, '', ...(lessons.length ? [...lessons, ''] : []), ...charts(r)].join('\n');
    page = d.page;
  }
  // the cap is chosen per machine (between the two layouts' peaks): one place on the page for it
  const marker = r.scenario.startsWith('memory-cap-') ? 'memory-cap' : r.scenario;
  const ok = replaceBlock(page, marker, body);
  console.log(`${file} -> docs/playbook/${page}${ok ? '' : ' (no markers for it: table not placed)'}`);
}
