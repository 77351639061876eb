/**
 * The state layer alone: the SimpleBenchmark window-store and join topologies run through
 * the TopologyTestDriver on LevelDB stores (no broker, no producer), so the figure is what
 * the processors, stores and caches cost per record. Variants alternate: record caches on
 * (the default stateStore.cacheMaxBytes) and off (0).
 *
 *   tsx bench/micro/state-path.ts [--records N] [--rounds N]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { describeMachine, runStats } from '@streamtune/perf';
import {
  createTaskState,
  JoinWindows,
  Serdes,
  Stores,
  StreamsBuilder,
  type ProcessorContext,
  type Topology,
  type WindowStore,
} from '@streamtune/streams';
import { TopologyTestDriver } from '@streamtune/streams/testing';
import { writeScenarioResult } from '../lib/results';

const KEYS = 10_000;
const serdes = { keySerde: Serdes.string(), valueSerde: Serdes.buffer() };

function topology(kind: 'windowstore' | 'join'): Topology {
  const builder = new StreamsBuilder();
  const a = builder.stream('a', serdes);
  if (kind === 'join') {
    const b = builder.stream('b', serdes);
    a.leftJoin(b, (l: Buffer) => l, JoinWindows.ofTimeDifferenceWithNoGrace(10_000), {
      name: 'join',
      storeName: 'join',
      keySerde: Serdes.string(),
      valueSerde: Serdes.buffer(),
      otherValueSerde: Serdes.buffer(),
    }).to('out', serdes);
    return builder.build();
  }
  builder.addStore(
    Stores.windowStoreBuilder({
      name: 'window',
      retentionMs: 3_000,
      windowSizeMs: 1_000,
      retainDuplicates: false,
      keySerde: Serdes.string(),
      valueSerde: Serdes.buffer(),
    }),
  );
  a.process<string, Buffer>(
    () => {
      let ctx!: ProcessorContext<string, Buffer>;
      let store!: WindowStore<string, Buffer>;
      return {
        init(c) {
          ctx = c;
          store = c.getStateStore('window');
        },
        async process(r) {
          await store.fetch(r.key, r.timestamp - 1_000, r.timestamp);
          await store.put(r.key, r.value, r.timestamp);
          await ctx.forward(r);
        },
      };
    },
    { stores: ['window'] },
  ).to('out', serdes);
  return builder.build();
}

async function run(kind: 'windowstore' | 'join', cacheMaxBytes: number, records: number) {
  const driver = new TopologyTestDriver(
    topology(kind),
    { stateStore: { cacheMaxBytes } },
    { taskStateFactory: (o) => createTaskState(o, { log: () => undefined }) },
  );
  const inputs = kind === 'join' ? ['a', 'b'] : ['a'];
  const topics = inputs.map((t) => driver.createInputTopic<string, Buffer>(t, serdes));
  const out = driver.createOutputTopic<string, Buffer>('out', serdes);
  const value = randomBytes(1024);
  const started = performance.now();
  let outputs = 0;
  for (let i = 0; i < records; i++) {
    // one millisecond apart in event time, keys over 10,000: as the broker-side benchmark loads them
    for (const topic of topics) await topic.pipeInput(`key-${i % KEYS}`, value, 1_000_000 + i);
    if (i % 1_000 === 999) outputs += out.readRecordsToList().length;
  }
  outputs += out.readRecordsToList().length;
  const seconds = (performance.now() - started) / 1000;
  await driver.close();
  const inputRecords = records * inputs.length;
  return { inputRecords, outputs, seconds, recordsPerSec: inputRecords / seconds };
}

const { values } = parseArgs({
  options: { records: { type: 'string', default: '50000' }, rounds: { type: 'string', default: '3' } },
});
const records = Number(values.records);
const rounds = Number(values.rounds);
const machineAtStart = describeMachine();
const runs: Array<{ case: string; variant: string; round: number } & Awaited<ReturnType<typeof run>>> = [];
for (let round = 0; round < rounds; round++) {
  for (const kind of ['windowstore', 'join'] as const) {
    // alternate which variant goes first, so a drift in the machine hits both alike
    const variants = round % 2 ? ['cache-off', 'cache-on'] : ['cache-on', 'cache-off'];
    for (const variant of variants) {
      const r = await run(kind, variant === 'cache-on' ? 64 * 1024 * 1024 : 0, records);
      runs.push({ case: kind, variant, round, ...r });
      console.error(
        `[state-path] ${kind} ${variant} round ${round}: ${Math.round(r.recordsPerSec)} records/s`,
      );
    }
  }
}
const summary: Record<string, unknown> = {};
for (const kind of ['windowstore', 'join']) {
  for (const variant of ['cache-on', 'cache-off']) {
    summary[`${kind}/${variant}`] = runStats(
      runs.filter((r) => r.case === kind && r.variant === variant).map((r) => r.recordsPerSec),
    );
  }
}
const path = writeScenarioResult(
  'state-path',
  {
    title: 'The state layer alone (TopologyTestDriver on LevelDB)',
    params: { records, rounds },
    runs,
    summary,
  },
  machineAtStart,
);
console.error(`[state-path] wrote ${path}`);
