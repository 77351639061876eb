/**
 * Micro-benchmarks in the shape of Kafka Streams' SimpleBenchmark: N records of a given
 * value size over 10,000 keys go through one layer at a time (consume, consume+produce,
 * a stream with no sink, with a sink, with a window store, a windowed left join), each
 * counting input and output records separately. Beside them, the limits: kafkajs alone
 * (produce, consume, consume+produce loop) and the broker alone with Kafka's own
 * ProducerPerformance / ConsumerPerformance from the broker's jars.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeMachine, runStats } from '@streamtune/perf';
import {
  JoinWindows,
  KafkaStreams,
  Serdes,
  Stores,
  StreamsBuilder,
  type Processor,
  type ProcessorContext,
  type Topology,
  type WindowStore,
} from '@streamtune/streams';
import { kafka } from '../lib/broker';
import { ROOT, sleep } from '../lib/processes';
import { writeScenarioResult } from '../lib/results';
import { fmt } from '../lib/progress';

const run = promisify(execFile);
const KEYS = 10_000;
const PARTITIONS = 12;
const JOIN_WINDOW_MS = 10_000;

interface CaseResult {
  case: string;
  round: number;
  inputRecords: number;
  outputRecords: number;
  /** From the first record in to the last one counted (steady state). */
  seconds: number;
  recordsPerSec: number;
  mbPerSec: number;
  /** Including client start, group join and, for streams, task creation. */
  secondsWithStartup: number;
  error?: string;
}

interface Ctx {
  brokers: string;
  prefix: string;
  n: number;
  valueSize: number;
  inputA: string;
  inputB: string;
  javaTopic: string;
  /** Records actually in each input topic (a retried send may add a copy). */
  inA: number;
  inB: number;
}

async function createTopics(brokers: string, topics: string[]): Promise<void> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

async function endOffsetsSum(brokers: string, topic: string): Promise<number> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((s, o) => s + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** N records, keys over 10,000, one millisecond apart in event time (a key recurs every 10 s). */
async function loadInput(ctx: Ctx, topic: string): Promise<CaseResult> {
  const producer = kafka(ctx.brokers).producer({ allowAutoTopicCreation: false });
  const t0 = Date.now();
  await producer.connect();
  const value = randomBytes(ctx.valueSize);
  const base = Date.now() - ctx.n - 60_000;
  const t1 = Date.now();
  const chunk = 500;
  // one request at a time: concurrent sends that time out on a busy broker are retried and duplicate
  for (let i = 0; i < ctx.n; i += chunk) {
    const messages = [];
    for (let j = i; j < Math.min(ctx.n, i + chunk); j++) {
      messages.push({ key: `key-${j % KEYS}`, value, timestamp: String(base + j) });
    }
    await producer.send({ topic, messages, acks: -1 });
  }
  const t2 = Date.now();
  await producer.disconnect();
  return result('kafkajs-produce', 0, ctx.n, ctx.n, (t2 - t1) / 1000, (t2 - t0) / 1000, ctx.valueSize);
}

function result(
  name: string,
  round: number,
  input: number,
  output: number,
  seconds: number,
  withStartup: number,
  valueSize: number,
): CaseResult {
  return {
    case: name,
    round,
    inputRecords: input,
    outputRecords: output,
    seconds,
    recordsPerSec: input / Math.max(seconds, 1e-3),
    mbPerSec: (input * valueSize) / Math.max(seconds, 1e-3) / 1e6,
    secondsWithStartup: withStartup,
  };
}

/** kafkajs consumer alone (SimpleBenchmark's `consume`), or a consume-and-produce loop with no state. */
async function kafkajsCase(ctx: Ctx, round: number, produce: boolean): Promise<CaseResult> {
  const name = produce ? 'consumeproduce' : 'consume';
  const k = kafka(ctx.brokers);
  const consumer = k.consumer({ groupId: `${ctx.prefix}-${name}-${round}`, maxBytes: 52_428_800 });
  const producer = k.producer({ allowAutoTopicCreation: false });
  const out = `${ctx.prefix}.out-${name}-${round}`;
  if (produce) await createTopics(ctx.brokers, [out]);
  const t0 = Date.now();
  await consumer.connect();
  if (produce) await producer.connect();
  await consumer.subscribe({ topic: ctx.inputA, fromBeginning: true });
  let count = 0;
  let first = 0;
  let last = 0;
  let outputs = 0;
  // kafkajs hands a whole fetch response to eachBatch at once, so the clock starts at the
  // first fetch request after joining the group, not at the first batch
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  consumer.on(consumer.events.FETCH_START, () => {
    if (joined && !first) first = Date.now();
  });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      count += batch.messages.length;
      if (produce) {
        await producer.send({
          topic: out,
          acks: -1,
          messages: batch.messages.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp })),
        });
        outputs += batch.messages.length;
      }
      if (count >= ctx.inA && !last) last = Date.now();
    },
  });
  const deadline = Date.now() + 300_000;
  while (!last && Date.now() < deadline) await sleep(20);
  await consumer.disconnect();
  if (produce) await producer.disconnect();
  const seconds = ((last || Date.now()) - first) / 1000;
  const r = result(
    name,
    round,
    count,
    produce ? outputs : 0,
    seconds,
    ((last || Date.now()) - t0) / 1000,
    ctx.valueSize,
  );
  if (!last) r.error = `timed out at ${count}/${ctx.inA}`;
  return r;
}

type StreamsCase =
  'streamprocess' | 'streamprocesswithsink' | 'streamprocesswithwindowstore' | 'streamstreamjoin';

function topologyFor(name: StreamsCase, ctx: Ctx, out: string, onOutput: () => void): Topology {
  const builder = new StreamsBuilder();
  const serdes = { keySerde: Serdes.string(), valueSerde: Serdes.buffer() };
  const a = builder.stream(ctx.inputA, serdes);
  switch (name) {
    case 'streamprocess':
      a.peek(() => onOutput());
      break;
    case 'streamprocesswithsink':
      a.peek(() => onOutput()).to(out, serdes);
      break;
    case 'streamprocesswithwindowstore': {
      builder.addStore(
        Stores.windowStoreBuilder({
          name: 'window-store',
          retentionMs: 2 * JOIN_WINDOW_MS,
          windowSizeMs: JOIN_WINDOW_MS,
          retainDuplicates: false,
          keySerde: Serdes.string(),
          valueSerde: Serdes.buffer(),
        }),
      );
      // put the record, read its key's window back, forward: a join's store work without the join
      a.process<string, Buffer>(
        () => {
          let ctxp: ProcessorContext<string, Buffer>;
          let store: WindowStore<string, Buffer>;
          const p: Processor<string, Buffer, string, Buffer> = {
            init(c) {
              ctxp = c;
              store = c.getStateStore<WindowStore<string, Buffer>>('window-store');
            },
            async process(r) {
              await store.put(r.key, r.value, r.timestamp);
              await store.fetch(r.key, r.timestamp - JOIN_WINDOW_MS, r.timestamp);
              await ctxp.forward(r);
            },
          };
          return p;
        },
        { stores: ['window-store'] },
      ).peek(() => onOutput());
      break;
    }
    case 'streamstreamjoin': {
      const b = builder.stream(ctx.inputB, serdes);
      a.leftJoin(
        b,
        (l: Buffer, r: Buffer | null) => (r ? l : l),
        JoinWindows.ofTimeDifferenceWithNoGrace(JOIN_WINDOW_MS),
        {
          name: 'bench-join',
          storeName: 'bench-join',
          keySerde: Serdes.string(),
          valueSerde: Serdes.buffer(),
          otherValueSerde: Serdes.buffer(),
        },
      ).peek(() => onOutput());
      break;
    }
  }
  return builder.build();
}

async function streamsCase(ctx: Ctx, name: StreamsCase, round: number): Promise<CaseResult> {
  const stateDir = mkdtempSync(join(tmpdir(), 'simple-bench-'));
  const out = `${ctx.prefix}.out-${name}-${round}`;
  if (name === 'streamprocesswithsink') await createTopics(ctx.brokers, [out]);
  let outputs = 0;
  const expectedIn = name === 'streamstreamjoin' ? ctx.inA + ctx.inB : ctx.inA;
  const streams = new KafkaStreams(
    topologyFor(name, ctx, out, () => outputs++),
    {
      applicationId: `${ctx.prefix}-${name}-${round}`,
      bootstrapServers: ctx.brokers.split(','),
      stateDir,
      // Kafka Streams' own producer override; everything else at its defaults
      producer: { lingerMs: 100 },
    },
  );
  let inputs = 0;
  let first = 0;
  let last = 0;
  streams.events.on('record.processed', () => {
    if (!first) first = Date.now();
    if (++inputs >= expectedIn && !last) last = Date.now();
  });
  const t0 = Date.now();
  let error: string | undefined;
  try {
    await streams.start();
    const deadline = Date.now() + 600_000;
    while (!last && Date.now() < deadline && streams.state() !== 'ERROR') await sleep(20);
    if (!last) error = `stopped at ${inputs}/${expectedIn} (${streams.state()})`;
  } finally {
    await streams.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
  const closedAt = Date.now();
  // with a sink, a record is out once the broker has it: count the topic, after close flushed it
  if (name === 'streamprocesswithsink') outputs = await endOffsetsSum(ctx.brokers, out);
  const end = name === 'streamprocesswithsink' ? closedAt : last || closedAt;
  const r = result(name, round, inputs, outputs, (end - first) / 1000, (end - t0) / 1000, ctx.valueSize);
  if (error) r.error = error;
  return r;
}

/** The broker alone: Kafka's own perf tools from the jars the local broker runs on. */
async function javaTools(ctx: Ctx, round: number): Promise<CaseResult[]> {
  const cp = `${ROOT}/infra/kafka/target/lib/*`;
  const results: CaseResult[] = [];
  const t0 = Date.now();
  const p = await run(
    'java',
    [
      '-Xmx256m',
      '-cp',
      cp,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      ctx.javaTopic,
      '--num-records',
      String(ctx.n),
      '--record-size',
      String(ctx.valueSize),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${ctx.brokers}`,
      'acks=all',
    ],
    { maxBuffer: 10e6 },
  );
  const withStartup = (Date.now() - t0) / 1000;
  // "N records sent, X records/sec (Y MB/sec), ..."
  const m = /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(
    p.stdout.trim().split('\n').at(-1) ?? '',
  );
  if (m) {
    const rps = Number(m[2]);
    results.push({
      ...result(
        'java-producer-perf',
        round,
        Number(m[1]),
        Number(m[1]),
        Number(m[1]) / rps,
        withStartup,
        ctx.valueSize,
      ),
      mbPerSec: Number(m[3]) * 1.048576,
    });
  } else
    results.push({
      ...result('java-producer-perf', round, 0, 0, 1, withStartup, ctx.valueSize),
      error: p.stdout.slice(-300),
    });
  const t1 = Date.now();
  const c = await run(
    'java',
    [
      '-Xmx256m',
      '-cp',
      cp,
      'org.apache.kafka.tools.ConsumerPerformance',
      '--bootstrap-server',
      ctx.brokers,
      '--topic',
      ctx.javaTopic,
      '--messages',
      String(ctx.n),
      '--timeout',
      '120000',
      '--group',
      `${ctx.prefix}-java-consumer-${round}`,
    ],
    { maxBuffer: 10e6 },
  );
  const withStartupC = (Date.now() - t1) / 1000;
  // header line then: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const line =
    c.stdout
      .trim()
      .split('\n')
      .at(-1)
      ?.split(',')
      .map((s) => s.trim()) ?? [];
  const nMsg = Number(line[4]);
  const fetchMs = Number(line[7]);
  if (Number.isFinite(nMsg) && fetchMs > 0) {
    results.push(result('java-consumer-perf', round, nMsg, 0, fetchMs / 1000, withStartupC, ctx.valueSize));
  } else
    results.push({
      ...result('java-consumer-perf', round, 0, 0, 1, withStartupC, ctx.valueSize),
      error: c.stdout.slice(-300),
    });
  return results;
}

export async function runSimpleBenchmark(
  brokers: string,
  options: { runs?: number; quick: boolean },
): Promise<void> {
  const n = Number(process.env.BENCH_RECORDS ?? (options.quick ? 10_000 : 50_000));
  const valueSize = Number(process.env.BENCH_VALUE_SIZE ?? 1024);
  const rounds = options.runs ?? 3;
  const machineAtStart = describeMachine();
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
  const started = Date.now();
  await createTopics(brokers, [ctx.inputA, ctx.inputB, ctx.javaTopic]);
  const results: CaseResult[] = [];
  results.push(await loadInput(ctx, ctx.inputA));
  results.push({ ...(await loadInput(ctx, ctx.inputB)), round: 1 });
  ctx.inA = await endOffsetsSum(brokers, ctx.inputA);
  ctx.inB = await endOffsetsSum(brokers, ctx.inputB);
  const cases: [string, (round: number) => Promise<CaseResult | CaseResult[]>][] = [
    ['java-perf', (r) => javaTools(ctx, r)],
    ['consume', (r) => kafkajsCase(ctx, r, false)],
    ['consumeproduce', (r) => kafkajsCase(ctx, r, true)],
    ['streamprocess', (r) => streamsCase(ctx, 'streamprocess', r)],
    ['streamprocesswithsink', (r) => streamsCase(ctx, 'streamprocesswithsink', r)],
    ['streamprocesswithwindowstore', (r) => streamsCase(ctx, 'streamprocesswithwindowstore', r)],
    ['streamstreamjoin', (r) => streamsCase(ctx, 'streamstreamjoin', r)],
  ];
  const total = rounds * cases.length;
  let done = 0;
  const save = () =>
    writeScenarioResult(
      'simple-benchmark',
      summariseMicro(results, {
        n,
        valueSize,
        keys: KEYS,
        partitions: PARTITIONS,
        rounds,
        quick: options.quick,
        wallMs: Date.now() - started,
      }),
      machineAtStart,
    );
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const [name, fn] of cases) {
        const elapsed = Date.now() - started;
        const left = done ? (elapsed / done) * (total - done) : 0;
        console.error(
          `[simple-benchmark] run ${done + 1}/${total} ${name} (round ${round}/${rounds}) · elapsed ${fmt(elapsed)}${done ? ` · ~${fmt(left)} left` : ''}`,
        );
        try {
          const r = await fn(round);
          for (const x of Array.isArray(r) ? r : [r]) {
            results.push(x);
            console.error(
              `  ${x.case}: ${Math.round(x.recordsPerSec)} rec/s, in ${x.inputRecords} out ${x.outputRecords}${x.error ? ` (${x.error})` : ''}`,
            );
          }
        } catch (err) {
          results.push({ ...result(name, round, 0, 0, 1, 0, valueSize), error: (err as Error).message });
          console.error(`  ${name}: FAILED ${(err as Error).message}`);
        }
        done++;
        save();
      }
    }
  } finally {
    const admin = kafka(brokers).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter(
      (t) => t.startsWith(`${prefix}.`) || t.startsWith(`${prefix}-`),
    );
    if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
  console.error(`[simple-benchmark] wrote ${save()}`);
}

function summariseMicro(results: CaseResult[], params: Record<string, unknown>) {
  const names = [...new Set(results.map((r) => r.case))];
  const ok = (name: string) => results.filter((r) => r.case === name && !r.error && r.inputRecords > 0);
  const summary = Object.fromEntries(
    names
      .filter((name) => ok(name).length)
      .map((name) => [
        name,
        {
          recordsPerSec: runStats(ok(name).map((r) => r.recordsPerSec)),
          mbPerSec: runStats(ok(name).map((r) => r.mbPerSec)),
          secondsWithStartup: runStats(ok(name).map((r) => r.secondsWithStartup)),
          inputRecords: runStats(ok(name).map((r) => r.inputRecords)),
          outputRecords: runStats(ok(name).map((r) => r.outputRecords)),
        },
      ]),
  );
  const limit = (summary['consumeproduce'] as { recordsPerSec: { median: number } } | undefined)
    ?.recordsPerSec.median;
  const ratios = limit
    ? Object.fromEntries(
        Object.entries(summary).map(([k, v]) => [
          k,
          (v as { recordsPerSec: { median: number } }).recordsPerSec.median / limit,
        ]),
      )
    : {};
  return {
    title: 'SimpleBenchmark-style micro-benchmarks',
    page: '6-beyond.md',
    params,
    summary,
    ratioToKafkajsConsumeProduce: ratios,
    runs: results,
  };
}
