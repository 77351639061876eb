import { afterEach, describe, expect, it } from 'vitest';
import { StreamsEvents } from '../../src/observability/events';
import { createTaskState } from '../../src/state-manager/index';
import { TopologyTestDriver } from '../../src/testing/index';
import { JoinWindows } from '../../src/dsl/join-windows';
import type { JoinType, StreamJoined } from '../../src/dsl/stream-stream-join';
import { StreamsBuilder } from '../../src/dsl/streams-builder';

type Step = readonly ['L' | 'R', string | null, string | null, number];
type Out = readonly [string | null, string, number];

const W = JoinWindows.ofTimeDifferenceAndGrace(100, 50); // retention 250, left window closes at t + 150
const drivers: TopologyTestDriver[] = [];
afterEach(async () => {
  while (drivers.length) await drivers.pop()!.close();
});

async function run(
  type: JoinType,
  steps: readonly Step[],
  windows: JoinWindows = W,
  options: { layout?: 'per-segment' | 'per-task'; joined?: StreamJoined<string, string, string> } = {},
) {
  const builder = new StreamsBuilder();
  const left = builder.stream<string, string>('left');
  const right = builder.stream<string, string>('right');
  const joiner = (l: string | null, r: string | null) => `${l}+${r}`;
  const joined = { outerJoinEmitIntervalMs: 0, ...options.joined };
  const out =
    type === 'inner'
      ? left.join(right, joiner, windows, joined)
      : type === 'left'
        ? left.leftJoin(right, joiner, windows, joined)
        : left.outerJoin(right, joiner, windows, joined);
  out.to('out');
  const events = new StreamsEvents();
  const drops: string[] = [];
  events.on('record.dropped', (e) => drops.push(e.reason));
  const driver = new TopologyTestDriver(
    builder.build(),
    { stateStore: { layout: options.layout ?? 'per-segment' } },
    { taskStateFactory: (o) => createTaskState(o, { log: () => undefined }), events },
  );
  drivers.push(driver);
  const inputs = { L: driver.createInputTopic('left'), R: driver.createInputTopic('right') };
  const output = driver.createOutputTopic('out');
  for (const [side, key, value, ts] of steps) await inputs[side].pipeInput(key, value, ts);
  const records: Out[] = output.readRecordsToList().map((r) => [r.key, r.value, r.timestamp] as const);
  return { records, drops, driver };
}

interface Case {
  name: string;
  steps: Step[];
  windows?: JoinWindows;
  inner: Out[];
  left: Out[];
  outer: Out[];
  drops?: Partial<Record<JoinType, string[]>>;
}

// Window ±100 ms, grace 50 ms: a record at t joins the other side in [t - 100, t + 100];
// an unmatched one is emitted once stream time passes t + 150.
const cases: Case[] = [
  {
    name: 'in window, right after left',
    steps: [
      ['L', 'a', 'L1', 1000],
      ['R', 'a', 'R1', 1050],
    ],
    inner: [['a', 'L1+R1', 1050]],
    left: [['a', 'L1+R1', 1050]],
    outer: [['a', 'L1+R1', 1050]],
  },
  {
    name: 'lower boundary t - before joins, one ms further does not',
    steps: [
      ['L', 'a', 'L1', 1000],
      ['R', 'a', 'R900', 900],
      ['R', 'a', 'R899', 899],
    ],
    inner: [['a', 'L1+R900', 1000]],
    left: [['a', 'L1+R900', 1000]],
    // as in Kafka Streams: an unmatched record whose window end (899 + 100) is behind stream
    // time is emitted at once, without waiting for the grace period
    outer: [
      ['a', 'L1+R900', 1000],
      ['a', 'null+R899', 899],
    ],
  },
  {
    name: 'upper boundary t + after joins, one ms further does not',
    steps: [
      ['L', 'a', 'L1', 1000],
      ['R', 'a', 'R1100', 1100],
      ['R', 'a', 'R1101', 1101],
    ],
    inner: [['a', 'L1+R1100', 1100]],
    left: [['a', 'L1+R1100', 1100]],
    outer: [['a', 'L1+R1100', 1100]],
  },
  {
    name: 'outside the window: no join; left/outer emit each side once its window closed',
    steps: [
      ['L', 'a', 'L1', 1000],
      ['R', 'a', 'R1', 1200],
      ['R', 'z', 'Z', 1400],
    ],
    inner: [],
    left: [['a', 'L1+null', 1000]],
    outer: [
      ['a', 'L1+null', 1000],
      ['a', 'null+R1', 1200],
    ],
  },
  {
    name: 'out of order: the right record comes first and is older',
    steps: [
      ['R', 'a', 'R1', 1050],
      ['L', 'a', 'L1', 1000],
    ],
    inner: [['a', 'L1+R1', 1050]],
    left: [['a', 'L1+R1', 1050]],
    outer: [['a', 'L1+R1', 1050]],
  },
  {
    name: 'late within grace still joins',
    steps: [
      ['L', 'a', 'L1', 1000],
      ['R', 'b', 'Rb', 1140],
      ['R', 'a', 'R1', 1090],
      ['R', 'z', 'Z', 1400],
    ],
    inner: [['a', 'L1+R1', 1090]],
    left: [['a', 'L1+R1', 1090]],
    outer: [
      ['a', 'L1+R1', 1090],
      ['b', 'null+Rb', 1140],
    ],
  },
  {
    name: 'a partner arriving after the window closed still joins while retained (Kafka Streams)',
    steps: [
      ['L', 'a', 'L1', 1000],
      ['R', 'b', 'Rb', 1200],
      ['R', 'a', 'R1', 1090],
    ],
    inner: [['a', 'L1+R1', 1090]],
    left: [
      ['a', 'L1+null', 1000],
      ['a', 'L1+R1', 1090],
    ],
    outer: [
      ['a', 'L1+null', 1000],
      ['a', 'L1+R1', 1090],
    ],
  },
  {
    name: 'late after retention: dropped from the store, left side emitted at once',
    steps: [
      ['R', 'b', 'Rb', 2000],
      ['L', 'a', 'L1', 1000],
      ['R', 'a', 'R1', 1050],
    ],
    inner: [],
    left: [['a', 'L1+null', 1000]],
    outer: [
      ['a', 'L1+null', 1000],
      ['a', 'null+R1', 1050],
    ],
    drops: { inner: ['expired-window', 'expired-window'] },
  },
  {
    name: 'duplicates on both sides join pairwise',
    steps: [
      ['L', 'a', 'L1', 1000],
      ['L', 'a', 'L2', 1000],
      ['R', 'a', 'R1', 1000],
      ['R', 'a', 'R2', 1010],
    ],
    inner: [
      ['a', 'L1+R1', 1000],
      ['a', 'L2+R1', 1000],
      ['a', 'L1+R2', 1010],
      ['a', 'L2+R2', 1010],
    ],
    left: [
      ['a', 'L1+R1', 1000],
      ['a', 'L2+R1', 1000],
      ['a', 'L1+R2', 1010],
      ['a', 'L2+R2', 1010],
    ],
    outer: [
      ['a', 'L1+R1', 1000],
      ['a', 'L2+R1', 1000],
      ['a', 'L1+R2', 1010],
      ['a', 'L2+R2', 1010],
    ],
  },
  {
    name: 'unmatched duplicates are each emitted once after the window closes',
    steps: [
      ['L', 'a', 'L1', 1000],
      ['L', 'a', 'L2', 1000],
      ['R', 'z', 'Z', 1151],
    ],
    inner: [],
    left: [
      ['a', 'L1+null', 1000],
      ['a', 'L2+null', 1000],
    ],
    outer: [
      ['a', 'L1+null', 1000],
      ['a', 'L2+null', 1000],
    ],
  },
  {
    name: 'null keys and values: dropped, except a null-key record of an outer side (KIP-962)',
    steps: [
      ['L', null, 'Ln', 1000],
      ['R', null, 'Rn', 1000],
      ['L', 'a', null, 1000],
      ['R', 'a', null, 1000],
    ],
    inner: [],
    left: [[null, 'Ln+null', 1000]],
    outer: [
      [null, 'Ln+null', 1000],
      [null, 'null+Rn', 1000],
    ],
    drops: {
      inner: ['null-key-or-value', 'null-key-or-value', 'null-key-or-value', 'null-key-or-value'],
      left: ['null-key-or-value', 'null-key-or-value', 'null-key-or-value'],
      outer: ['null-key-or-value', 'null-key-or-value'],
    },
  },
  {
    name: 'asymmetric window before(0).after(100): a left record only looks forward',
    windows: W.before(0),
    steps: [
      ['L', 'a', 'L1', 1000],
      ['R', 'a', 'R999', 999],
      ['R', 'a', 'R1000', 1000],
      ['R', 'a', 'R1100', 1100],
    ],
    inner: [
      ['a', 'L1+R1000', 1000],
      ['a', 'L1+R1100', 1100],
    ],
    left: [
      ['a', 'L1+R1000', 1000],
      ['a', 'L1+R1100', 1100],
    ],
    outer: [
      ['a', 'null+R999', 999],
      ['a', 'L1+R1000', 1000],
      ['a', 'L1+R1100', 1100],
    ],
  },
  {
    // Kafka Streams scans only when `minTime + lookAhead + grace < streamTime` with the
    // arriving side's look-ahead: left records (after = 200) do not scan yet, so the right
    // record waits for a right record (before = 10) even though its own window closed at 1061
    name: 'asymmetric window: an unmatched right record waits t + before + grace, and a scan the right side starts',
    windows: W.before(10).after(200),
    steps: [
      ['R', 'a', 'R1', 1000],
      ['L', 'z', 'Z', 1060],
      ['L', 'y', 'Y', 1061],
      ['R', 'x', 'X', 1061],
    ],
    inner: [],
    left: [],
    outer: [['a', 'null+R1', 1000]],
  },
  {
    name: 'left/outer results never come early: not at window end + grace, only after it',
    steps: [
      ['L', 'a', 'L1', 1000],
      ['R', 'z', 'Z', 1150],
      ['L', 'y', 'Y', 1150],
      ['R', 'a', 'late', 1100],
    ],
    inner: [['a', 'L1+late', 1100]],
    left: [['a', 'L1+late', 1100]],
    outer: [['a', 'L1+late', 1100]],
  },
];

describe.each(['per-segment', 'per-task'] as const)(
  'stream-stream joins through the TopologyTestDriver (%s)',
  (layout) => {
    for (const c of cases) {
      for (const type of ['inner', 'left', 'outer'] as const) {
        it(`${type}: ${c.name}`, async () => {
          const { records, drops } = await run(type, c.steps, c.windows, { layout });
          expect(records).toEqual(c[type]);
          if (c.drops?.[type]) expect(drops).toEqual(c.drops[type]);
        });
      }
    }
  },
);

describe('stream-stream join wiring', () => {
  it('uses Kafka Streams store and node names', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('l')
      .leftJoin(builder.stream('r'), (a, b) => `${a}${b}`, W, { name: 'j', storeName: 's' })
      .to('out');
    const topology = builder.build();
    expect([...topology.storeBuilders.keys()].sort()).toEqual([
      's-left-shared-join-store',
      's-outer-other-join-store',
      's-this-join-store',
    ]);
    const generated = new StreamsBuilder();
    generated
      .stream('l')
      .outerJoin(generated.stream('r'), (a, b) => `${a}${b}`, W)
      .to('out');
    expect([...generated.build().storeBuilders.keys()].sort()).toEqual([
      'KSTREAM-OUTEROTHER-0000000005-store',
      'KSTREAM-OUTERSHARED-0000000004-store',
      'KSTREAM-OUTERTHIS-0000000004-store',
    ]);
  });

  it('join store changelogs are delete-only with retention = before + after + grace + 24 h', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('l')
      .join(builder.stream('r'), (a, b) => `${a}${b}`, W, { storeName: 's' })
      .to('out');
    const store = builder.build().storeBuilders.get('s-this-join-store')!;
    expect(store.changelogConfig()).toEqual({
      'cleanup.policy': 'delete',
      'retention.ms': String(250 + 86_400_000),
    });
  });

  it('refuses a stream whose key may have changed, with the way out', () => {
    const builder = new StreamsBuilder();
    const rekeyed = builder.stream<string, string>('l').selectKey((k, v) => v);
    expect(() => rekeyed.join(builder.stream<string, string>('r'), (a, b) => a + b, W)).toThrow(
      /left stream's key may have changed.*call \.repartition\(\)/,
    );
    expect(() =>
      rekeyed.repartition().join(builder.stream<string, string>('r2'), (a, b) => a + b, W),
    ).not.toThrow();
  });

  it("throttles outer store scans by wall clock (outerJoinEmitIntervalMs 1 s, Kafka Streams default; the driver's is 0): emission waits, never early", async () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('left')
      .leftJoin(builder.stream<string, string>('right'), (l, r) => `${l}+${r}`, W)
      .to('out');
    const driver = new TopologyTestDriver(
      builder.build(),
      { outerJoinEmitIntervalMs: 1000 },
      { taskStateFactory: (o) => createTaskState(o, { log: () => undefined }) },
    );
    drivers.push(driver);
    const left = driver.createInputTopic('left');
    const right = driver.createInputTopic('right');
    const out = driver.createOutputTopic('out');
    // the first record scans the empty store and takes the first slot (Kafka's minTime starts at
    // Long.MAX_VALUE, and MAX_VALUE + after + grace overflows)
    await left.pipeInput('a', 'A', 1000);
    await driver.advanceWallClockTime(1000);
    await left.pipeInput('b', 'B', 1100);
    await right.pipeInput('z', 'Z', 1151); // a's window closed and a scan is due: emits a
    expect(out.readValuesToList()).toEqual(['A+null']);
    await right.pipeInput('z', 'Z', 1300); // b's window closed, but the next scan is due at 1000 ms
    expect(out.readValuesToList()).toEqual([]);
    await driver.advanceWallClockTime(1000);
    await right.pipeInput('z', 'Z', 1301);
    expect(out.readValuesToList()).toEqual(['B+null']);
  });
});
