/**
 * The benchmark: `tsx bench/run.ts <scenario|all|list> [--runs N] [--quick]`.
 * Before/after variants alternate (before, after, before, after, ...) so drift on a shared
 * machine hits both alike; results go to bench/results/<scenario>.json.
 */
import { parseArgs } from 'node:util';
import { describeMachine, type MachineDescription } from '@streamtune/perf';
import { resolveBrokers } from './lib/broker';
import { runPipeline, windowScaleOf, type RunOptions } from './lib/pipeline-run';
import type { RunRecord } from './lib/run-figures';
import { runWithRtt } from './lib/rtt-runs';
import { fmt, Progress } from './lib/progress';
import { waitForQuiet } from './lib/quiet';
import { writeScenarioResult } from './lib/results';
import { compareBeforeAfter, summarise } from './lib/summary';
import type { PipelineScenario } from './lib/scenario-types';
import { findScenario, scenarios } from './scenarios';
import {
  resolveCases,
  resolveEngines,
  runSimpleBenchmark,
  type SimpleBenchmarkOptions,
} from './micro/simple-benchmark';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string' },
    // batching only: emulated round-trip times between the services and the broker
    'rtt-ms': { type: 'string' },
    // every service of the run in a memory cgroup of this many MB (OOM kills recorded)
    'memory-cap-mb': { type: 'string' },
    // some variants only, by name (a re-run of one sweep point, a tooling check)
    only: { type: 'string' },
    // simple-benchmark only
    rounds: { type: 'string' },
    records: { type: 'string' },
    'value-size': { type: 'string' },
    cases: { type: 'string' },
    engines: { type: 'string' },
    quick: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

const names = [...scenarios.map((s) => s.name), 'simple-benchmark'];
if (values.help || positionals.length === 0 || positionals[0] === 'list') {
  console.log(
    [
      'usage: tsx bench/run.ts <scenario|all> [--runs N] [--quick]',
      '       tsx bench/run.ts batching --rtt-ms 0,2,10 [--runs N] [--quick]   (services behind a delay proxy)',
      '       tsx bench/run.ts memory --memory-cap-mb 1024 [--runs N] [--quick]  (services in a memory cgroup)',
      '       tsx bench/run.ts simple-benchmark [--rounds N] [--records N] [--value-size BYTES]',
      '           [--cases streamprocess,streamprocesswithsink,windowstore,join,baselines,...]',
      '           [--engines streamtune,kafka-streams]',
      `scenarios: ${names.join(', ')}`,
    ].join('\n'),
  );
  process.exit(positionals.length === 0 && !values.help ? 64 : 0);
}
function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 1)) {
    console.error(`--${flag} must be a positive integer, got ${value}`);
    process.exit(64);
  }
  return n;
}
const runsFlag = positiveInt('runs', values.runs) ?? positiveInt('rounds', values.rounds);
const csv = (v: string | undefined) =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const simpleOptions: SimpleBenchmarkOptions = {
  quick: values.quick ?? false,
  rounds: runsFlag,
  records: positiveInt('records', values.records),
  valueSize: positiveInt('value-size', values['value-size']),
  cases: csv(values.cases),
  engines: csv(values.engines),
};
try {
  resolveCases(simpleOptions.cases);
  resolveEngines(simpleOptions.engines);
} catch (err) {
  console.error((err as Error).message);
  process.exit(64);
}

const rttList = csv(values['rtt-ms'])?.map((v) => {
  const n = Number(v);
  if (!(Number.isFinite(n) && n >= 0)) {
    console.error(`--rtt-ms takes milliseconds >= 0, got ${v}`);
    process.exit(64);
  }
  return n;
});

const memoryCapMb = positiveInt('memory-cap-mb', values['memory-cap-mb']);
const only = csv(values.only);

async function runScenario(
  scenario: PipelineScenario,
  brokers: string,
  options: RunOptions = {},
): Promise<void> {
  if (only) {
    const unknown = only.filter((n) => !scenario.variants.some((v) => v.name === n));
    if (unknown.length) throw new Error(`--only: ${scenario.name} has no variant ${unknown.join(', ')}`);
    scenario = { ...scenario, variants: scenario.variants.filter((v) => only.includes(v.name)) };
  }
  if (memoryCapMb !== undefined) {
    options = { ...options, memoryCapMb };
    // its own results file: a capped run answers another question than the uncapped one
    scenario = {
      ...scenario,
      name: `${scenario.name}-cap-${memoryCapMb}mb`,
      title: `${scenario.title}, ${memoryCapMb} MB memory cap per service`,
    };
  }
  const runs = runsFlag ?? scenario.defaultRuns;
  const quick = values.quick ?? false;
  // as the first run finds the machine: after its wait for a quiet start (full size)
  let machineAtStart: MachineDescription | undefined;
  const schedule: { variant: (typeof scenario.variants)[number]; round: number }[] = [];
  for (let round = 1; round <= runs; round++)
    for (const variant of scenario.variants) schedule.push({ variant, round });
  const progress = new Progress(scenario.name, schedule.length, 90_000);
  const records: RunRecord[] = [];
  const started = Date.now();
  for (const { variant, round } of schedule) {
    // a quick run checks the tooling only: its figures are not counted, so it need not wait
    if (!quick) await waitForQuiet();
    machineAtStart ??= describeMachine();
    progress.begin(`(${variant.name}, round ${round}/${runs})`);
    const record = await runPipeline(scenario, variant, round, brokers, quick, options);
    progress.end();
    records.push(record);
    const f = record.figures;
    console.error(
      `  ${variant.name} #${round}: ${record.ok ? 'ok' : `FAILED (${record.error})`} in ${fmt(record.wallMs)}; complete ${f.completeness ?? '?'}, last-stage p99 ${f.lastStageP99Ms ?? '?'} ms, ${Math.round(f.processedPerSec ?? 0)} rec/s, peak RSS ${Math.round(f.peakRssMb ?? 0)} MB`,
    );
    // written after every run, so an interrupted scenario still leaves its runs
    writeScenarioResult(
      scenario.name,
      resultData(scenario, records, runs, quick, Date.now() - started),
      machineAtStart,
    );
  }
  progress.finish();
  const path = writeScenarioResult(
    scenario.name,
    resultData(scenario, records, runs, quick, Date.now() - started),
    machineAtStart ?? describeMachine(),
  );
  console.error(`[${scenario.name}] wrote ${path}`);
}

function resultData(
  scenario: PipelineScenario,
  records: RunRecord[],
  runs: number,
  quick: boolean,
  wallMs: number,
) {
  const variants = scenario.variants.map((v) => v.name);
  const isPair = variants.length === 2 && variants.includes('before') && variants.includes('after');
  return {
    title: scenario.title,
    page: scenario.page,
    services: scenario.services,
    topics: scenario.topics,
    windowScale: windowScaleOf(scenario, quick),
    load: { ...scenario.load, ...(quick ? scenario.quickLoad : {}) },
    quick,
    runsPerVariant: runs,
    wallMs,
    variants: scenario.variants,
    sweep: scenario.sweep,
    headline: scenario.headline,
    crash: scenario.crash,
    summary: summarise(records, variants),
    ...(isPair ? { comparison: compareBeforeAfter(records) } : {}),
    runs: records,
  };
}

const target = positionals[0] as string;
if (rttList) {
  const scenario = findScenario(target);
  if (!scenario || !target.startsWith('batching')) {
    console.error('--rtt-ms goes with the batching scenarios (batching, batching-sweep)');
    process.exit(64);
  }
  await runWithRtt(scenario, rttList, runScenario);
  process.exit(0);
}
const brokers = await resolveBrokers();
const list = target === 'all' ? names : [target];
for (const name of list) {
  if (name === 'simple-benchmark') {
    await runSimpleBenchmark(brokers, simpleOptions);
    continue;
  }
  const scenario = findScenario(name);
  if (!scenario) {
    console.error(`unknown scenario "${name}"; one of: ${names.join(', ')}`);
    process.exit(64);
  }
  await runScenario(scenario, brokers);
}
process.exit(0);
