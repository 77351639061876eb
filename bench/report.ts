/**
 * `npm run bench:report`: regenerates the playbook's tables (markdown between
 * `<!-- bench:<name>:begin -->` and `<!-- bench:<name>:end -->` markers) and its SVG charts
 * (docs/playbook/img/) from bench/results/*.json. Nothing in the pages' tables is typed by hand.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { barChartSvg, lineChartSvg, type Comparison, type ResultFile, type RunStats } from '@streamtune/perf';
import { ROOT } from './lib/processes';
import { RESULTS_DIR } from './lib/results';
import type { RunRecord } from './lib/pipeline-run';
import { compareBeforeAfter, summarise } from './lib/summary';
import { findScenario } from './scenarios';
import type { PipelineScenario, Variant } from './lib/scenario-types';
import { isNoisy, judge, QUIET_LOAD } from './lib/lessons';

const PLAYBOOK = join(ROOT, 'docs/playbook');
const IMG = join(PLAYBOOK, 'img');

/** How each figure reads in a table: label, unit, decimals. */
const FIGURES: Record<string, [string, string, number]> = {
  peakRssMb: ['peak RSS', 'MB', 0],
  finalRssMb: ['RSS at the end', 'MB', 0],
  peakHeapUsedMb: ['peak V8 heap used', 'MB', 0],
  peakNativeMb: ['peak native memory (RSS − heap − external)', 'MB', 0],
  peakStoreInstances: ['open LevelDB instances (peak)', '', 0],
  peakStoreMemoryMb: ['LevelDB approximate memory (peak)', 'MB', 1],
  footprintMb: ['footprint formula (budget)', 'MB', 0],
  processedPerSec: ['input records processed per second', 'rec/s', 0],
  lastStageP50Ms: ['last stage e2e p50', 'ms', 0],
  lastStageP99Ms: ['last stage e2e p99', 'ms', 0],
  lastStageP999Ms: ['last stage e2e p99.9', 'ms', 0],
  worstStageP99Ms: ['worst stage e2e p99', 'ms', 0],
  e2eP50Ms: ['end-to-end p50 (order-outcomes)', 'ms', 0],
  e2eP99Ms: ['end-to-end p99 (order-outcomes)', 'ms', 0],
  timeToCompleteMs: ['time to completely process the orders', 'ms', 0],
  lastInputProcessedAtMs: ['last input record processed, from load start', 'ms', 0],
  completeness: ['completeness (lowest stage)', '', 3],
  duplicates: ['duplicate results', '', 0],
  commitsPerSec: ['commits per second', '/s', 2],
  cpuPercent: ['service CPU', '% of a core', 0],
  produceRequestsPerSec: ['produced batches per second (topic-partition batches)', '/s', 0],
  recordsPerProduceRequest: ['records per produced batch', '', 1],
  requestsPerSec: ['produce requests per second', '/s', 0],
  recordsPerRequest: ['records per produce request', '', 1],
  rttMs: ['emulated round-trip time, services ↔ broker', 'ms', 0],
  restartToReadyMs: ['SIGKILL → restarted service ready', 'ms', 0],
  restartToMetricsMs: ['SIGKILL → process up (/metrics answers)', 'ms', 0],
  restoredRecords: ['changelog records restored', '', 0],
  restoreSecondsSum: ['time spent restoring (sum over stores)', 's', 2],
};

const label = (f: string) => {
  const [l, unit] = FIGURES[f] ?? [f, '', 2];
  return unit ? `${l} (${unit})` : l;
};
const num = (f: string, v: number | undefined) => {
  if (v === undefined || !Number.isFinite(v)) return '—';
  const d = FIGURES[f]?.[2] ?? 2;
  return v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
};
const cell = (f: string, s: RunStats | undefined) =>
  s ? `${num(f, s.median)} (${num(f, s.min)}–${num(f, s.max)})` : '—';

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

function context(r: ResultFile<PipelineData>): string {
  const d = r.data;
  const ok = d.runs.filter((x) => x.ok).length;
  const counted = d.counted ?? d.runs.filter((x) => x.ok);
  const noisy = d.runs.filter((x) => x.ok && isNoisy(x)).length;
  const incomplete = counted.filter((x) => (x.figures.completeness ?? 0) < 1).length;
  const load = d.load as { rate?: number; duration?: string; orders?: number; recordSize?: number };
  return [
    `Measured ${r.createdAt.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cores} cores (${r.machine.cpuModel}), load average at the end ${r.machine.loadAverage.join(' / ')}.`,
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

function writeSvg(name: string, svg: string): string {
  mkdirSync(IMG, { recursive: true });
  writeFileSync(join(IMG, name), svg);
  return `img/${name}`;
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

interface MicroData {
  params: { n: number; valueSize: number; keys: number; partitions: number; rounds: number; quick: boolean };
  summary: Record<
    string,
    {
      recordsPerSec: RunStats;
      mbPerSec: RunStats;
      secondsWithStartup: RunStats;
      inputRecords: RunStats;
      outputRecords: RunStats;
    }
  >;
  ratioToKafkajsConsumeProduce: Record<string, number>;
  /** Since Kafka Streams runs beside streamtune (bench/kafka-streams). */
  versusKafkaStreams?: Record<
    string,
    {
      streamtune: RunStats;
      kafkaStreams: RunStats;
      ratio: { median: number; min: number; max: number };
      outputRecords: { streamtune: number[]; kafkaStreams: number[]; equal: boolean };
    }
  >;
  load?: { atStart: number[]; atEnd: number[] };
  runs: { case: string; engine?: string; error?: string }[];
}

/**
 * The run's load in words: the 1-minute load average when it started decides whether it
 * was quiet (the end figure includes the run's own broker and JVMs). Files written before
 * `load` was recorded only have the end figure, so they say so.
 */
function microLoad(d: MicroData, atWrite: readonly number[]): string {
  if (!d.load) return `load average when the file was written ${atWrite.join(' / ')} (start not recorded)`;
  const quiet = d.load.atStart[0]! <= QUIET_LOAD;
  return `load average at start ${d.load.atStart.join(' / ')} (${quiet ? 'quiet' : 'noisy'}), at end ${d.load.atEnd.join(' / ')}`;
}

/** streamtune beside Kafka Streams: input records/s, the ratio with its conservative range, outputs. */
function versusTable(d: MicroData): string[] {
  const v = d.versusKafkaStreams;
  if (!v || !Object.keys(v).length) return [];
  const version = (d.params as { kafkaStreamsVersion?: string }).kafkaStreamsVersion ?? '?';
  return [
    `Kafka Streams ${version} beside streamtune, same broker and input topics, alternating runs:`,
    '',
    '| case | streamtune records/s | Kafka Streams records/s | streamtune ÷ Kafka Streams | output records (streamtune / Kafka Streams) |',
    '|---|---|---|---|---|',
    ...Object.entries(v).map(
      ([n, x]) =>
        `| ${n} | ${cell('processedPerSec', x.streamtune)} | ${cell('processedPerSec', x.kafkaStreams)} | ${x.ratio.median.toFixed(2)}× (${x.ratio.min.toFixed(2)}–${x.ratio.max.toFixed(2)}) | ${x.outputRecords.streamtune.join(', ')} / ${x.outputRecords.kafkaStreams.join(', ')}${x.outputRecords.equal ? '' : ' (differ)'} |`,
    ),
    '',
  ];
}

const MICRO_ORDER = [
  'java-producer-perf',
  'java-consumer-perf',
  'kafkajs-produce',
  'consume',
  'consumeproduce',
  'streamprocess',
  'streamprocesswithsink',
  'streamprocesswithwindowstore',
  'streamstreamjoin',
];

function microSection(r: ResultFile<MicroData>): string {
  const d = r.data;
  const p = d.params;
  const names = MICRO_ORDER.filter((n) => d.summary[n]);
  const rows = names.map((n) => {
    const s = d.summary[n]!;
    const ratio = d.ratioToKafkajsConsumeProduce[n];
    return `| ${n} | ${cell('processedPerSec', s.recordsPerSec)} | ${(s.mbPerSec.median ?? 0).toFixed(2)} | ${Math.round(s.inputRecords.median)} | ${Math.round(s.outputRecords.median)} | ${(s.secondsWithStartup.median ?? 0).toFixed(1)} | ${typeof ratio === 'number' ? ratio.toFixed(2) : '—'} |`;
  });
  const failed = d.runs
    .filter((x) => x.error)
    .map((x) => `${x.engine === 'kafka-streams' ? 'kafka-streams/' : ''}${x.case}: ${x.error}`);
  const path = writeSvg(
    'simple-benchmark.svg',
    barChartSvg({
      title: `records/s, ${p.n} records of ${p.valueSize} B (median of ${p.rounds})`,
      yLabel: 'records/s',
      categories: names.map((n) =>
        n.replace('streamprocess', 'sp').replace('withwindowstore', '+wstore').replace('withsink', '+sink'),
      ),
      series: [{ name: 'records/s', values: names.map((n) => d.summary[n]!.recordsPerSec.median ?? 0) }],
      width: 820,
    }),
  );
  return [
    `Measured ${r.createdAt.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cores} cores (${r.machine.cpuModel}), ${microLoad(d, r.machine.loadAverage)}. ${p.n} records per input topic, ${p.valueSize} B values over ${p.keys} keys, ${p.partitions} partitions, ${p.rounds} round(s); cells: median (min–max).`,
    '',
    '| case | records/s | MB/s | input records | output records | seconds incl. start | ÷ kafkajs consume+produce |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...versusTable(d),
    ...(failed.length ? [`Failed runs: ${failed.join('; ')}`, ''] : []),
    `![SimpleBenchmark](${path})`,
  ].join('\n');
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

/** The knobs a profile changes against baseline, as a diff of flattened keys (from apps/checkout/profiles). */
function profileDiff(profile: string): string {
  const dir = join(ROOT, 'apps/checkout/profiles');
  const load = (name: string): Record<string, unknown> => {
    const file = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Record<string, unknown>;
    const { extends: parent, description: _d, ...rest } = file;
    const base = typeof parent === 'string' ? load(parent) : {};
    return { ...flatten(base), ...flatten(rest) };
  };
  const before = load('baseline');
  const after = load(profile);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const lines = keys.flatMap((k) => {
    const b = JSON.stringify(before[k]);
    const a = JSON.stringify(after[k]);
    if (b === a) return [`  ${k}: ${b}`];
    return [...(b !== undefined ? [`- ${k}: ${b}`] : []), ...(a !== undefined ? [`+ ${k}: ${a}`] : [])];
  });
  return ['```diff', `# apps/*/profiles/baseline.json -> ${profile}.json (flattened)`, ...lines, '```'].join(
    '\n',
  );
}

function flatten(o: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object' && !Array.isArray(v))
      Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
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
