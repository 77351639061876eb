import { describe, expect, it } from 'vitest';
import { Branched, Serdes, StreamsBuilder, type KStream } from '../src/index';
import { TopologyTestDriver } from '../src/testing/index';

async function run(
  build: (b: StreamsBuilder) => void,
  inputs: Array<[string, string | null, string | null, number?]>,
  outputs: string[],
) {
  const builder = new StreamsBuilder();
  build(builder);
  const driver = new TopologyTestDriver(builder.build());
  try {
    const topics = new Map<string, ReturnType<typeof driver.createInputTopic>>();
    for (const [topic, key, value, ts] of inputs) {
      if (!topics.has(topic)) topics.set(topic, driver.createInputTopic(topic));
      await topics.get(topic)!.pipeInput(key, value, ts ?? 0);
    }
    return Object.fromEntries(outputs.map((o) => [o, driver.createOutputTopic(o).readRecordsToList()]));
  } finally {
    await driver.close();
  }
}

const kv = (records: Array<{ key: unknown; value: unknown }>) => records.map((r) => [r.key, r.value]);

describe('KStream stateless operations (TopologyTestDriver)', () => {
  it('map changes key and value and keeps the timestamp', async () => {
    const out = await run(
      (b) =>
        b
          .stream('in')
          .map((k, v) => ({ key: v, value: k }))
          .to('out'),
      [['in', 'a', '1', 42]],
      ['out'],
    );
    expect(out.out).toEqual([{ key: '1', value: 'a', timestamp: 42, headers: {} }]);
  });

  it('mapValues sees the key', async () => {
    const out = await run(
      (b) =>
        b
          .stream('in')
          .mapValues((v, k) => `${k}:${v.toUpperCase()}`)
          .to('out'),
      [['in', 'k', 'x']],
      ['out'],
    );
    expect(kv(out.out!)).toEqual([['k', 'k:X']]);
  });

  it('filter and filterNot are complements', async () => {
    const out = await run(
      (b) => {
        const s = b.stream('in');
        s.filter((_, v) => Number(v) % 2 === 0).to('even');
        s.filterNot((_, v) => Number(v) % 2 === 0).to('odd');
      },
      [
        ['in', 'a', '1'],
        ['in', 'b', '2'],
        ['in', 'c', '3'],
      ],
      ['even', 'odd'],
    );
    expect(kv(out.even!)).toEqual([['b', '2']]);
    expect(kv(out.odd!)).toEqual([
      ['a', '1'],
      ['c', '3'],
    ]);
  });

  it('flatMap and flatMapValues emit zero or more records', async () => {
    const out = await run(
      (b) => {
        const s = b.stream('in');
        s.flatMap((k, v) =>
          v
            .split(',')
            .filter(Boolean)
            .map((x) => ({ key: `${k}-${x}`, value: x })),
        ).to('fm');
        s.flatMapValues((v) => v.split(',').filter(Boolean)).to('fmv');
      },
      [
        ['in', 'a', 'x,y'],
        ['in', 'b', ''],
      ],
      ['fm', 'fmv'],
    );
    expect(kv(out.fm!)).toEqual([
      ['a-x', 'x'],
      ['a-y', 'y'],
    ]);
    expect(kv(out.fmv!)).toEqual([
      ['a', 'x'],
      ['a', 'y'],
    ]);
  });

  it('selectKey replaces the key only and marks the stream key-changed', async () => {
    let stream: KStream<string, string> | undefined;
    const out = await run(
      (b) => {
        stream = b.stream('in').selectKey((_, v) => v.slice(0, 1));
        stream.to('out');
      },
      [['in', 'old', 'new']],
      ['out'],
    );
    expect(kv(out.out!)).toEqual([['n', 'new']]);
    expect(stream!.keyChanged).toBe(true);
  });

  it('peek sees every record and forwards it unchanged', async () => {
    const seen: string[] = [];
    const out = await run(
      (b) =>
        b
          .stream('in')
          .peek((k, v) => seen.push(`${k}=${v}`))
          .to('out'),
      [
        ['in', 'a', '1'],
        ['in', 'b', '2'],
      ],
      ['out'],
    );
    expect(seen).toEqual(['a=1', 'b=2']);
    expect(kv(out.out!)).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('merge combines two streams', async () => {
    const out = await run(
      (b) => b.stream('left').merge(b.stream('right')).to('out'),
      [
        ['left', 'l', '1'],
        ['right', 'r', '2'],
      ],
      ['out'],
    );
    expect(kv(out.out!)).toEqual([
      ['l', '1'],
      ['r', '2'],
    ]);
  });

  it('split sends each record to the first matching branch, names branches as Kafka Streams', async () => {
    let branches: Map<string, KStream<string, string>> | undefined;
    const consumed: string[] = [];
    const out = await run(
      (b) => {
        branches = b
          .stream('in')
          .split('s-')
          .branch((_, v) => v.startsWith('a'), Branched.as('apples'))
          .branch((_, v) => v.startsWith('b'))
          .branch(
            (_, v) => v.startsWith('c'),
            Branched.withConsumer((s) => s.peek((_, v) => consumed.push(v))),
          )
          .branch(
            (_, v) => v.startsWith('d'),
            Branched.withFunction((s) => s.mapValues((v) => v.toUpperCase()), 'dates'),
          )
          .defaultBranch();
        for (const [name, s] of branches) s.to(name);
      },
      [
        ['in', '1', 'apple'],
        ['in', '2', 'banana'],
        ['in', '3', 'cherry'],
        ['in', '4', 'date'],
        ['in', '5', 'avocado'],
        ['in', '6', 'fig'],
      ],
      ['s-apples', 's-2', 's-dates', 's-0'],
    );
    expect([...branches!.keys()].sort()).toEqual(['s-0', 's-2', 's-apples', 's-dates']);
    expect(kv(out['s-apples']!)).toEqual([
      ['1', 'apple'],
      ['5', 'avocado'],
    ]);
    expect(kv(out['s-2']!)).toEqual([['2', 'banana']]);
    expect(kv(out['s-dates']!)).toEqual([['4', 'DATE']]);
    expect(kv(out['s-0']!)).toEqual([['6', 'fig']]);
    expect(consumed).toEqual(['cherry']);
  });

  it('noDefaultBranch drops unmatched records; no branch after the default', () => {
    const b = new StreamsBuilder();
    const split = b.stream('in').split();
    split.noDefaultBranch();
    expect(() => split.branch(() => true)).toThrow(/after defaultBranch/);
  });

  it('repartition goes through <applicationId>-<name>-repartition and a new sub-topology', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in')
      .selectKey((_, v) => v)
      .repartition({ name: 'by-value', numberOfPartitions: 3 })
      .mapValues((v) => `${v}!`)
      .to('out');
    const topology = builder.build();
    expect(topology.subtopologies()).toHaveLength(2);
    expect(topology.internalTopics).toEqual([
      { name: 'by-value-repartition', partitions: 3, config: { 'cleanup.policy': 'delete' } },
    ]);
    const driver = new TopologyTestDriver(topology, { applicationId: 'app' });
    await driver.createInputTopic('in').pipeInput('k', 'v', 5);
    expect(driver.createOutputTopic('app-by-value-repartition').readKeyValuesToList()).toEqual([
      { key: 'v', value: 'v' },
    ]);
    expect(driver.createOutputTopic('out').readRecordsToList()).toEqual([
      { key: 'v', value: 'v!', timestamp: 5, headers: {} },
    ]);
    await driver.close();
  });

  it('repartition rejects a bad partition count', () => {
    expect(() => new StreamsBuilder().stream('in').repartition({ numberOfPartitions: 0 })).toThrow(
      /positive integer/,
    );
  });

  it('to(extractor) picks the topic per record', async () => {
    const out = await run(
      (b) => b.stream('in').to((k) => `out-${k}`),
      [
        ['in', 'a', '1'],
        ['in', 'b', '2'],
      ],
      ['out-a', 'out-b'],
    );
    expect(kv(out['out-a']!)).toEqual([['a', '1']]);
    expect(kv(out['out-b']!)).toEqual([['b', '2']]);
  });

  it('uses per-stream serdes, null values pass through', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, { n: number } | null>('in', { valueSerde: Serdes.json() })
      .mapValues((v) => (v === null ? null : v.n * 2))
      .to('out', { valueSerde: Serdes.json<number | null>() });
    const driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic('in', { valueSerde: Serdes.json<{ n: number } | null>() });
    await input.pipeInput('a', { n: 21 }, 1);
    await input.pipeInput('b', null, 2);
    expect(
      driver.createOutputTopic('out', { valueSerde: Serdes.json<number | null>() }).readKeyValuesToList(),
    ).toEqual([
      { key: 'a', value: 42 },
      { key: 'b', value: null },
    ]);
    await driver.close();
  });
});
