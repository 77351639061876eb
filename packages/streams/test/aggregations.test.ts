import { describe, expect, it } from 'vitest';
import {
  Serdes,
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  StreamsEvents,
  Suppressed,
  TimeWindows,
  type Windowed,
} from '../src/index';
import { TopologyTestDriver } from '../src/testing/index';
import { createTaskState } from '../src/internal';

const long = Serdes.long();
const win = (w: Windowed<string>) => `${w.key}@${w.window.start}-${w.window.end}`;

function droppedCounter(events: StreamsEvents) {
  const drops: string[] = [];
  events.on('record.dropped', (e) => drops.push(`${e.processor}:${e.reason}`));
  return drops;
}

describe('KGroupedStream', () => {
  it('groupByKey().count() forwards every update and keeps the count in a timestamped store', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in').groupByKey().count().toStream().to('out');
    const driver = new TopologyTestDriver(builder.build(), { applicationId: 'app' });
    const input = driver.createInputTopic('in');
    await input.pipeInput('a', 'x', 10);
    await input.pipeInput('b', 'x', 5);
    await input.pipeInput('a', 'y', 7);
    await input.pipeInput('a', null, 8); // null values are not counted
    const out = driver.createOutputTopic('out', { valueSerde: long }).readRecordsToList();
    expect(out.map((r) => [r.key, r.value, r.timestamp])).toEqual([
      ['a', 1, 10],
      ['b', 1, 5],
      ['a', 2, 10],
    ]);
    const store = await driver.getKeyValueStore<string, number>('KSTREAM-AGGREGATE-STATE-STORE-0000000001');
    expect(await store!.get('a')).toBe(2);
    expect(await store!.all()).toEqual([
      { key: 'a', value: 2 },
      { key: 'b', value: 1 },
    ]);
    expect(driver.producedTopicNames()).toContain('app-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog');
    await driver.close();
  });

  it('reduce and aggregate with Materialized names', async () => {
    const builder = new StreamsBuilder();
    const grouped = builder.stream('in').groupByKey();
    grouped
      .reduce((a, v) => `${a}+${v}`, { storeName: 'joined' })
      .toStream()
      .to('reduced');
    grouped
      .aggregate(
        () => 0,
        (_k, v, sum: number) => sum + v.length,
        { storeName: 'lengths', valueSerde: Serdes.json<number>() },
      )
      .toStream()
      .to('lengths', { valueSerde: Serdes.json<number>() });
    const driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic('in');
    await input.pipeInput('k', 'ab', 1);
    await input.pipeInput('k', 'cde', 2);
    expect(driver.createOutputTopic('reduced').readKeyValuesToList()).toEqual([
      { key: 'k', value: 'ab' },
      { key: 'k', value: 'ab+cde' },
    ]);
    expect(
      driver.createOutputTopic('lengths', { valueSerde: Serdes.json<number>() }).readKeyValuesToList(),
    ).toEqual([
      { key: 'k', value: 2 },
      { key: 'k', value: 5 },
    ]);
    expect(await (await driver.getKeyValueStore<string, number>('lengths'))!.get('k')).toBe(5);
    await driver.close();
  });

  it('groupBy repartitions through <app>-<store>-repartition, dropping null keys', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('in')
      .groupBy((_k, v) => (v === 'none' ? (null as unknown as string) : v.slice(0, 1)))
      .count()
      .toStream()
      .to('out');
    const topology = builder.build();
    expect(topology.describe().toString()).toContain(
      'Sink: KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition-sink (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition)',
    );
    expect(topology.subtopologies()).toHaveLength(2);
    const driver = new TopologyTestDriver(topology, { applicationId: 'app' });
    const input = driver.createInputTopic('in');
    await input.pipeInput('1', 'apple', 1);
    await input.pipeInput('2', 'avocado', 2);
    await input.pipeInput('3', 'banana', 3);
    await input.pipeInput('4', 'none', 4);
    expect(driver.createOutputTopic('out', { valueSerde: long }).readKeyValuesToList()).toEqual([
      { key: 'a', value: 1 },
      { key: 'a', value: 2 },
      { key: 'b', value: 1 },
    ]);
    expect(driver.producedTopicNames()).toContain('app-KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition');
    await driver.close();
  });

  it('the record cache forwards the latest value per key at commit; cacheMaxBytes 0 forwards every update', async () => {
    const run = async (cacheMaxBytes: number) => {
      const builder = new StreamsBuilder();
      builder
        .stream('in')
        .flatMapValues((v) => v.split(','))
        .groupByKey()
        .count()
        .toStream()
        .to('out');
      const driver = new TopologyTestDriver(
        builder.build(),
        { applicationId: `cache-${cacheMaxBytes}`, stateStore: { cacheMaxBytes } },
        { taskStateFactory: (o) => createTaskState(o, { log: () => undefined }) },
      );
      const input = driver.createInputTopic('in');
      await input.pipeInput('a', 'x,y,z', 1);
      await input.pipeInput('b', 'x', 2);
      await input.pipeInput('a', 'x,y', 3);
      const out = driver.createOutputTopic('out', { valueSerde: long }).readKeyValuesToList();
      await driver.close();
      return out.map((r) => `${r.key}=${r.value}`);
    };
    expect(await run(0)).toEqual(['a=1', 'a=2', 'a=3', 'b=1', 'a=4', 'a=5']);
    expect(await run(1024 * 1024)).toEqual(['a=3', 'b=1', 'a=5']);
  });
});

describe('windowed aggregations', () => {
  it('tumbling windows: [start, start + size), grace, late records dropped and counted', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(1000, 500))
      .count()
      .toStream()
      .map((w, n) => ({ key: win(w), value: String(n) }))
      .to('out');
    const events = new StreamsEvents();
    const drops = droppedCounter(events);
    const driver = new TopologyTestDriver(builder.build(), {}, { events });
    const input = driver.createInputTopic('in');
    await input.pipeInput('a', 'v', 0);
    await input.pipeInput('a', 'v', 999);
    await input.pipeInput('a', 'v', 1000);
    await input.pipeInput('a', 'v', 1499); // stream time 1499: window [0,1000) still open (1000 > 999)
    await input.pipeInput('a', 'v', 998);
    await input.pipeInput('a', 'v', 1500); // closes [0,1000): end 1000 <= 1500 - 500
    await input.pipeInput('a', 'v', 999); // late
    expect(
      driver
        .createOutputTopic('out')
        .readKeyValuesToList()
        .map((r) => `${r.key}=${r.value}`),
    ).toEqual(['a@0-1000=1', 'a@0-1000=2', 'a@1000-2000=1', 'a@1000-2000=2', 'a@0-1000=3', 'a@1000-2000=3']);
    expect(drops).toEqual(['KSTREAM-AGGREGATE-0000000002:late']);
    const store = await driver.getWindowStore<string, number>('KSTREAM-AGGREGATE-STATE-STORE-0000000001');
    expect(await store!.fetch('a', 0, 1000)).toEqual([
      { windowStart: 0, value: 3 },
      { windowStart: 1000, value: 3 },
    ]);
    await driver.close();
  });

  it('hopping windows: a record updates every window that contains it', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(1000).advanceBy(500))
      .reduce((a, v) => a + v)
      .toStream()
      .map((w, v) => ({ key: win(w), value: v }))
      .to('out');
    const driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic('in');
    await input.pipeInput('a', '1', 100);
    await input.pipeInput('a', '2', 700);
    await input.pipeInput('a', '3', 1200);
    expect(
      driver
        .createOutputTopic('out')
        .readKeyValuesToList()
        .map((r) => `${r.key}=${r.value}`),
    ).toEqual(['a@0-1000=1', 'a@0-1000=12', 'a@500-1500=2', 'a@500-1500=23', 'a@1000-2000=3']);
    await driver.close();
  });

  it('TimeWindows rejects bad sizes and advances', () => {
    expect(() => TimeWindows.ofSizeWithNoGrace(0)).toThrow(RangeError);
    expect(() => TimeWindows.ofSizeWithNoGrace(10).advanceBy(11)).toThrow(RangeError);
    expect(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5).windowsFor(12)).toEqual([
      { start: 5, end: 15 },
      { start: 10, end: 20 },
    ]);
  });

  it('sliding windows: one window per distinct set of records within the time difference', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in')
      .groupByKey()
      .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 100))
      .count()
      .toStream()
      .map((w, n) => ({ key: win(w), value: String(n) }))
      .to('out');
    const driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic('in');
    await input.pipeInput('a', 'v', 20);
    await input.pipeInput('a', 'v', 25);
    await input.pipeInput('a', 'v', 40);
    // 25 creates the right window of 20 ([21, 31]) and its own left window; 40 is more than
    // 10 after 25, so 25's right window would stay empty and is not created
    expect(
      driver
        .createOutputTopic('out')
        .readKeyValuesToList()
        .map((r) => `${r.key}=${r.value}`),
    ).toEqual(['a@10-20=1', 'a@21-31=1', 'a@15-25=2', 'a@30-40=1']);
    await driver.close();
  });

  it('session windows merge, forward the merged-away sessions as deletions, and drop late records', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in')
      .groupByKey()
      // grace 10 keeps [0,0] in the store (retention gap + grace) until 8 bridges it with [15,15]
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(10, 10))
      .count()
      .toStream()
      .map((w, n) => ({ key: win(w), value: n === null ? 'null' : String(n) }))
      .to('out');
    const events = new StreamsEvents();
    const drops = droppedCounter(events);
    const driver = new TopologyTestDriver(builder.build(), {}, { events });
    const input = driver.createInputTopic('in');
    await input.pipeInput('a', 'v', 0);
    await input.pipeInput('a', 'v', 15);
    await input.pipeInput('a', 'v', 8); // bridges [0,0] and [15,15]
    await input.pipeInput('a', 'v', 100);
    await input.pipeInput('a', 'v', 50); // late: 50 < 100 - 10 - 10
    expect(
      driver
        .createOutputTopic('out')
        .readKeyValuesToList()
        .map((r) => `${r.key}=${r.value}`),
    ).toEqual(['a@0-0=1', 'a@15-15=1', 'a@0-0=null', 'a@15-15=null', 'a@0-15=3', 'a@100-100=1']);
    expect(drops).toEqual(['KSTREAM-AGGREGATE-0000000002:late']);
    const sessions = await driver.getSessionStore<string, number>('KSTREAM-AGGREGATE-STATE-STORE-0000000001');
    // [0,15] ended before 100 - retention (20) + 1: expired, as in Kafka Streams' session store
    expect((await sessions!.fetch('a')).map((s) => [s.key.start, s.key.end, s.value])).toEqual([
      [100, 100, 1],
    ]);
    await driver.close();
  });

  it('suppress(untilWindowCloses) emits each window once, when stream time passes end + grace', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(100, 50))
      .count()
      .suppress(Suppressed.untilWindowCloses())
      .toStream()
      .map((w, n) => ({ key: win(w), value: String(n) }))
      .to('out');
    const driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic('in');
    const out = driver.createOutputTopic('out');
    await input.pipeInput('a', 'v', 10);
    await input.pipeInput('a', 'v', 20);
    await input.pipeInput('b', 'v', 90);
    await input.pipeInput('a', 'v', 149); // stream time 149: [0,100) closes at 150
    expect(out.readKeyValuesToList()).toEqual([]);
    await input.pipeInput('a', 'v', 150);
    expect(out.readRecordsToList().map((r) => `${r.key}=${r.value}@${r.timestamp}`)).toEqual([
      'a@0-100=2@20',
      'b@0-100=1@90',
    ]);
    await input.pipeInput('a', 'v', 60); // late for [0,100): dropped upstream, nothing new
    await input.pipeInput('a', 'v', 400);
    expect(out.readKeyValuesToList().map((r) => `${r.key}=${r.value}`)).toEqual(['a@100-200=2']);
    await driver.close();
  });
});
