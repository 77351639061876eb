/**
 * Micro-benchmarks in the shape of Kafka Streams' SimpleBenchmark: N records of a given
 * value size over 10,000 keys go through one layer at a time (a stream with no sink, with a
 * sink, with a window store, a windowed left join), on streamtune and on Kafka Streams itself
 * (bench/kafka-streams, the broker's version), alternating, on the same broker and the same
 * input topics. Beside them, the limits: kafkajs alone (consume, consume+produce) and the
 * broker alone (Kafka's ProducerPerformance / ConsumerPerformance).
 *
 *   simple/setup.ts             context, topics, input loading, the one timing rule
 *   simple/streamtune-cases.ts  the cases' topologies on streamtune
 *   simple/kafka-streams.ts     the Java program: build once, one JVM per run
 *   simple/client-baselines.ts  kafkajs and perf-tool limits
 *   simple/summary.ts           medians, ranges, ratios, join result counts
 */
import { loadavg } from 'node:os';
import { describeMachine } from '@streamtune/perf';
import { fmt } from '../lib/progress';
import { writeScenarioResult } from '../lib/results';
import { javaTools, kafkajsCase } from './simple/client-baselines';
import { buildKafkaStreamsBench, kafkaStreamsCase, type KafkaStreamsBench } from './simple/kafka-streams';
import {
  createTopics,
  deleteRunTopics,
  endOffsetsSum,
  KEYS,
  loadInput,
  PARTITIONS,
  result,
  type CaseResult,
  type Ctx,
  type Engine,
} from './simple/setup';
import { ENGINE_CASES, streamtuneCase, type EngineCase } from './simple/streamtune-cases';
import { formatVersus, summariseMicro, versusKafkaStreams } from './simple/summary';

const BASELINES = ['java-perf', 'consume', 'consumeproduce'] as const;
const ENGINES: readonly Engine[] = ['streamtune', 'kafka-streams'];
const ALIASES: Record<string, readonly string[]> = {
  windowstore: ['streamprocesswithwindowstore'],
  join: ['streamstreamjoin'],
  baselines: BASELINES,
  engines: ENGINE_CASES,
};

export interface SimpleBenchmarkOptions {
  quick: boolean;
  /** Records per input topic (default 50,000; 10,000 with --quick; BENCH_RECORDS). */
  records?: number;
  /** Value size in bytes (default 1024; BENCH_VALUE_SIZE). */
  valueSize?: number;
  rounds?: number;
  /** Case names or aliases (windowstore, join, baselines, engines); default all. */
  cases?: string[];
  engines?: string[];
}

export function resolveCases(list: string[] | undefined): string[] {
  const all: string[] = [...BASELINES, ...ENGINE_CASES];
  if (!list?.length) return all;
  const wanted = new Set(list.flatMap((c) => ALIASES[c] ?? [c]));
  const unknown = [...wanted].filter((c) => !all.includes(c));
  if (unknown.length)
    throw new Error(
      `unknown case(s) ${unknown.join(', ')}; one of ${[...all, ...Object.keys(ALIASES)].join(', ')}`,
    );
  return all.filter((c) => wanted.has(c));
}

export function resolveEngines(list: string[] | undefined): Engine[] {
  if (!list?.length) return [...ENGINES];
  const unknown = list.filter((e) => !ENGINES.includes(e as Engine));
  if (unknown.length)
    throw new Error(`unknown engine(s) ${unknown.join(', ')}; one of ${ENGINES.join(', ')}`);
  return ENGINES.filter((e) => list.includes(e));
}

type Step = { name: string; round: number; fn: () => Promise<CaseResult | CaseResult[]> };

/**
 * Per round: the baselines, then each case on both engines back to back, the engine that
 * goes first alternating from round to round so drift hits both alike.
 */
function schedule(
  ctx: Ctx,
  cases: string[],
  engines: Engine[],
  rounds: number,
  ks: KafkaStreamsBench | undefined,
): Step[] {
  const steps: Step[] = [];
  for (let round = 1; round <= rounds; round++) {
    if (cases.includes('java-perf'))
      steps.push({ name: 'java-perf', round, fn: () => javaTools(ctx, round) });
    for (const produce of [false, true]) {
      const name = produce ? 'consumeproduce' : 'consume';
      if (cases.includes(name)) steps.push({ name, round, fn: () => kafkajsCase(ctx, round, produce) });
    }
    const order = round % 2 === 1 ? engines : [...engines].reverse();
    for (const name of ENGINE_CASES.filter((c) => cases.includes(c))) {
      for (const engine of order) {
        const fn =
          engine === 'streamtune'
            ? () => streamtuneCase(ctx, name, round)
            : () => kafkaStreamsCase(ks as KafkaStreamsBench, ctx, name as EngineCase, round);
        steps.push({ name: engine === 'streamtune' ? name : `kafka-streams/${name}`, round, fn });
      }
    }
  }
  return steps;
}

export async function runSimpleBenchmark(brokers: string, options: SimpleBenchmarkOptions): Promise<void> {
  const n = options.records ?? Number(process.env.BENCH_RECORDS ?? (options.quick ? 10_000 : 50_000));
  const valueSize = options.valueSize ?? Number(process.env.BENCH_VALUE_SIZE ?? 1024);
  const rounds = options.rounds ?? 3;
  const cases = resolveCases(options.cases);
  const engines = resolveEngines(options.engines);
  const machineAtStart = describeMachine();
  const loadAtStart = loadavg();
  const started = Date.now();
  const ks =
    engines.includes('kafka-streams') && cases.some((c) => (ENGINE_CASES as readonly string[]).includes(c))
      ? buildKafkaStreamsBench()
      : undefined;
  const prefix = `bench-simple-${Math.random().toString(36).slice(2, 6)}`;
  const ctx: Ctx = {
    brokers,
    prefix,
    n,
    valueSize,
    inputA: `${prefix}.input-a`,
    inputB: `${prefix}.input-b`,
    javaTopic: `${prefix}.java-perf`,
    inA: 0,
    inB: 0,
  };
  const results: CaseResult[] = [];
  const params = {
    n,
    valueSize,
    keys: KEYS,
    partitions: PARTITIONS,
    rounds,
    quick: options.quick,
    cases,
    engines,
    ...(ks ? { kafkaStreamsVersion: ks.version, javaOpts: ks.javaOpts.join(' ') } : {}),
    wallMs: 0,
  };
  const save = () =>
    writeScenarioResult(
      'simple-benchmark',
      {
        ...summariseMicro(results, { ...params, wallMs: Date.now() - started }),
        load: { atStart: loadAtStart, atEnd: loadavg() },
      },
      machineAtStart,
    );
  const join = cases.includes('streamstreamjoin');
  try {
    await createTopics(brokers, [ctx.inputA, ...(join ? [ctx.inputB] : []), ctx.javaTopic]);
    results.push(await loadInput(ctx, ctx.inputA));
    if (join) results.push({ ...(await loadInput(ctx, ctx.inputB)), round: 1 });
    ctx.inA = await endOffsetsSum(brokers, ctx.inputA);
    ctx.inB = join ? await endOffsetsSum(brokers, ctx.inputB) : 0;
    const steps = schedule(ctx, cases, engines, rounds, ks);
    for (const [i, step] of steps.entries()) {
      const elapsed = Date.now() - started;
      const left = i ? (elapsed / i) * (steps.length - i) : 0;
      console.error(
        `[simple-benchmark] run ${i + 1}/${steps.length} ${step.name} (round ${step.round}/${rounds}) · elapsed ${fmt(elapsed)}${i ? ` · ~${fmt(left)} left` : ''}`,
      );
      const loadBefore = loadavg()[0];
      let got: CaseResult[];
      try {
        const r = await step.fn();
        got = Array.isArray(r) ? r : [r];
      } catch (err) {
        const failed = result(step.name.replace('kafka-streams/', ''), step.round, 0, 0, 1, 0, valueSize);
        const engineCase = (ENGINE_CASES as readonly string[]).includes(failed.case);
        if (engineCase)
          failed.engine = step.name.startsWith('kafka-streams/') ? 'kafka-streams' : 'streamtune';
        got = [{ ...failed, error: (err as Error).message }];
      }
      for (const x of got) {
        results.push({ ...x, loadAverage1mAtStart: loadBefore, loadAverage1mAtEnd: loadavg()[0] });
        console.error(
          `  ${x.engine === 'kafka-streams' ? 'kafka-streams/' : ''}${x.case}: ${Math.round(x.recordsPerSec)} rec/s, in ${x.inputRecords} out ${x.outputRecords}${x.error ? ` (${x.error})` : ''}`,
        );
      }
      save();
    }
  } finally {
    await deleteRunTopics(brokers, prefix).catch(() => undefined);
  }
  const versus = formatVersus(versusKafkaStreams(results));
  if (versus)
    console.error(
      `[simple-benchmark] streamtune / Kafka Streams, input records/s, median (range):\n${versus}`,
    );
  console.error(`[simple-benchmark] wrote ${save()}`);
}
