import { describe, expect, it } from 'vitest';
import {
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  type KTable,
  type Windowed,
} from '../src/index';
import { TopologyTestDriver } from '../src/testing/index';

/**
 * Differences the conformance suite found against Kafka Streams' TopologyTestDriver
 * (packages/conformance), each pinned here with the output Kafka Streams 3.9.1 and 4.4.0 gave.
 */
async function run<K, V>(
  table: (b: StreamsBuilder) => KTable<K, V>,
  records: ReadonlyArray<readonly [string | null, number]>,
  key: (k: K) => string = String,
): Promise<string[][]> {
  const builder = new StreamsBuilder();
  table(builder)
    .toStream()
    .map((k, v) => ({ key: key(k), value: v === null ? null : String(v) }))
    .to('out');
  const driver = new TopologyTestDriver(builder.build(), { stateStore: { cacheMaxBytes: 0 } });
  const input = driver.createInputTopic('in');
  const out = driver.createOutputTopic<string, string | null>('out');
  const steps: string[][] = [];
  for (const [value, timestamp] of records) {
    await input.pipeInput('a', value, timestamp);
    steps.push(out.readRecordsToList().map((r) => `${r.key}=${r.value}@${r.timestamp}`));
  }
  await driver.close();
  return steps;
}

const xyzw: ReadonlyArray<readonly [string, number]> = [
  ['x', 1],
  ['y', 2],
  ['z', 3],
  ['w', 4],
];

describe('old values between table nodes, as Kafka Streams sends them', () => {
  it('a filter after an aggregation gets old values (KTableFilter asks a materialized parent): no tombstone when neither the old nor the new value passes', async () => {
    const steps = await run(
      (b) =>
        b
          .stream('in')
          .groupByKey()
          .reduce((a, v) => a + v)
          .filter((_k, v) => v.length === 1 || v.length >= 4),
      xyzw,
    );
    // xyz fails and xy failed before: nothing; xy fails while x passed: a deletion
    expect(steps).toEqual([['a=x@1'], ['a=null@2'], [], ['a=xyzw@4']]);
  });

  it("count and aggregate forward the initializer's value as the first old value (KStreamAggregate), so a first failing count is a deletion", async () => {
    const steps = await run(
      (b) =>
        b
          .stream('in')
          .groupByKey()
          .count()
          .filter((_k, n) => n !== 1 && n < 3),
      xyzw,
    );
    // 1 fails but the initializer's 0 passed: a deletion; 3 and 4 fail after 2 and 3: 3 is a deletion, 4 nothing
    expect(steps).toEqual([['a=null@1'], ['a=2@2'], ['a=null@3'], []]);
    const windowed = await run(
      (b) =>
        b
          .stream('in')
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeWithNoGrace(2))
          .count()
          .filter((_k, n) => n !== 1),
      xyzw,
      (w: Windowed<string>) => `${w.key}@${w.window.start}`,
    );
    expect(windowed).toEqual([['a@0=null@1'], ['a@2=null@2'], ['a@2=2@3'], ['a@4=null@4']]);
  });

  it('a filter on a source table that has no store forwards a deletion for every failing value; a named (materialized) one does not', async () => {
    const failing = (b: StreamsBuilder, storeName?: string) =>
      b.table('in', {}, storeName ? { storeName } : {}).filter((_k, v) => v !== 'y' && v !== 'z');
    expect(await run((b) => failing(b), xyzw)).toEqual([['a=x@1'], ['a=null@2'], ['a=null@3'], ['a=w@4']]);
    expect(await run((b) => failing(b, 'named'), xyzw)).toEqual([['a=x@1'], ['a=null@2'], [], ['a=w@4']]);
  });
});

describe('sliding windows, as Kafka Streams iterates them', () => {
  it('updates the stored windows newest first (processReverse), then creates the new ones', async () => {
    const steps = await run(
      (b) =>
        b
          .stream('in')
          .groupByKey()
          .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(100, 50))
          .reduce((a, v) => `${a}|${v}`),
      [
        ['x', 3150],
        ['y', 3089],
        ['z', 3116],
      ],
      (w: Windowed<string>) => `${w.key}@${w.window.start}/${w.window.end}`,
    );
    // y's own left window [2989, 3089] had closed (3089 < 3150 - 50) when y arrived
    expect(steps).toEqual([
      ['a@3050/3150=x@3150'],
      ['a@3050/3150=x|y@3150', 'a@3090/3190=x@3150'],
      ['a@3090/3190=x|z@3150', 'a@3050/3150=x|y|z@3150', 'a@3016/3116=z@3116', 'a@3117/3217=x@3150'],
    ]);
  });

  it('rejects a time difference of 0, on which Kafka Streams fails every record', () => {
    expect(() => SlidingWindows.ofTimeDifferenceWithNoGrace(0)).toThrow(/larger than zero/);
  });
});

describe('session stores, as Kafka Streams expires them', () => {
  it('a session that ended before the latest session end - retention + 1 is not found: no merge with it', async () => {
    const session = (w: Windowed<string>) => `${w.key}@${w.window.start}/${w.window.end}`;
    const steps = await run(
      (b) => b.stream('in').groupByKey().windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10)).count(),
      [
        ['v', 0],
        ['v', 15],
        ['v', 8],
      ],
      session,
    );
    // retention 10 (gap + grace): after [15,15] the store holds sessions ending at 6 or later,
    // so 8 merges with [15,15] only, though it lies within the gap of [0,0] too
    expect(steps).toEqual([['a@0/0=1@0'], ['a@15/15=1@15'], ['a@15/15=null@15', 'a@8/15=2@15']]);
  });
});

describe('null values in windowed reduces, as Kafka Streams stores them', () => {
  const reduceNullXNull = (windows: TimeWindows | SessionWindows) => {
    const grouped = (b: StreamsBuilder) => b.stream<string, string | null>('in').groupByKey();
    const reducer = (a: string | null, v: string | null) => `${a}|${v}`;
    return run(
      (b) =>
        windows instanceof TimeWindows
          ? grouped(b).windowedBy(windows).reduce(reducer)
          : grouped(b).windowedBy(windows).reduce(reducer),
      [
        [null, 10],
        ['x', 11],
        [null, 12],
      ],
      (w: Windowed<string>) => `${w.key}@${w.window.start}/${w.window.end}`,
    );
  };

  it('a first null value of a time window is a deletion: the window stays empty, the next value starts it', async () => {
    expect(await reduceNullXNull(TimeWindows.ofSizeWithNoGrace(50))).toEqual([
      ['a@0/50=null@10'],
      ['a@0/50=x@11'],
      ['a@0/50=x|null@12'],
    ]);
  });

  it('a first null value of a session removes the session: the next value does not merge with it', async () => {
    expect(await reduceNullXNull(SessionWindows.ofInactivityGapWithNoGrace(10))).toEqual([
      ['a@10/10=null@10'],
      ['a@11/11=x@11'],
      ['a@11/11=null@11', 'a@11/12=x|null@12'],
    ]);
  });
});

describe('suppress, as Kafka Streams evicts its buffer', () => {
  it("emits a window's final value with its last update's old value: a filter after it sees what came just before", async () => {
    const steps = await run(
      (b) =>
        b
          .stream<string, string>('in')
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
          .reduce((a, v) => `${a}|${v}`)
          .suppress(Suppressed.untilWindowCloses())
          .filter((_k, v) => v.length === 1),
      [
        ['x', 1],
        ['y', 2],
        ['z', 20],
      ],
      (w: Windowed<string>) => `${w.key}@${w.window.start}/${w.window.end}`,
    );
    // the final x|y fails, its old value x passed: a deletion (the value before the window, none, would give nothing)
    expect(steps).toEqual([[], [], ['a@0/10=null@2']]);
  });
});
