import { describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder } from '../src/index';
import { TopologyTestDriver } from '../src/testing/index';
import { createTaskState } from '../src/internal';

describe('KTable', () => {
  it('builder.table: latest value per key; filter turns failing values into deletions; mapValues; toStream', async () => {
    const builder = new StreamsBuilder();
    const table = builder.table('prices', {}, { storeName: 'prices-store' });
    table
      .filter((_k, v) => Number(v) >= 10)
      .mapValues((v) => `$${v}`)
      .toStream()
      .to('out');
    const driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic('prices');
    await input.pipeInput('a', '12', 1);
    await input.pipeInput('b', '5', 2);
    await input.pipeInput('a', '3', 3);
    await input.pipeInput('a', null, 4);
    // the named table has a store, so the filter gets old values (as KTableFilter asks):
    // b's 5 and a's deletion after 3 never passed and are not forwarded
    expect(driver.createOutputTopic('out').readKeyValuesToList()).toEqual([
      { key: 'a', value: '$12' },
      { key: 'a', value: null },
    ]);
    const store = await driver.getKeyValueStore<string, string>('prices-store');
    expect(await store!.all()).toEqual([{ key: 'b', value: '5' }]);
    await driver.close();
  });

  it('an unnamed table has no store until a join needs one; its store is <topic>-STATE-STORE-…', () => {
    const builder = new StreamsBuilder();
    builder.table('t').toStream().to('out');
    expect(builder.build().storeBuilders.size).toBe(0);
    const b2 = new StreamsBuilder();
    const t = b2.table('t');
    b2.stream('s')
      .join(t, (v, tv) => `${v}|${tv}`)
      .to('out');
    expect([...b2.build().storeBuilders.keys()]).toEqual(['t-STATE-STORE-0000000000']);
    expect(b2.build().describe().toString()).toContain(
      'Processor: KTABLE-SOURCE-0000000002 (stores: [t-STATE-STORE-0000000000])',
    );
  });

  it('stream-table join: the table value at the time the stream record arrives; leftJoin keeps unmatched', async () => {
    const builder = new StreamsBuilder();
    const users = builder.table('users');
    const clicks = builder.stream('clicks');
    clicks.join(users, (c, u) => `${c} by ${u}`).to('joined');
    clicks.leftJoin(users, (c, u) => `${c} by ${u ?? '?'}`).to('left');
    const driver = new TopologyTestDriver(builder.build());
    const u = driver.createInputTopic('users');
    const c = driver.createInputTopic('clicks');
    await c.pipeInput('1', 'home', 1);
    await u.pipeInput('1', 'ann', 2);
    await c.pipeInput('1', 'cart', 3);
    await u.pipeInput('1', 'bob', 4);
    await u.pipeInput('1', null, 5);
    await c.pipeInput('1', 'pay', 6);
    expect(driver.createOutputTopic('joined').readValuesToList()).toEqual(['cart by ann']);
    expect(driver.createOutputTopic('left').readValuesToList()).toEqual([
      'home by ?',
      'cart by ann',
      'pay by ?',
    ]);
    await driver.close();
  });

  it('table-table joins: inner, left and outer on the key, timestamp the larger of both', async () => {
    const builder = new StreamsBuilder();
    const l = builder.table('l');
    const r = builder.table('r');
    l.join(r, (a, b) => `${a}+${b}`)
      .toStream()
      .to('inner');
    l.leftJoin(r, (a, b) => `${a}+${b}`)
      .toStream()
      .to('left');
    l.outerJoin(r, (a, b) => `${a}+${b}`)
      .toStream()
      .to('outer');
    const driver = new TopologyTestDriver(builder.build());
    const li = driver.createInputTopic('l');
    const ri = driver.createInputTopic('r');
    await li.pipeInput('k', 'a', 1);
    await ri.pipeInput('k', 'x', 5);
    await li.pipeInput('k', 'b', 3);
    await ri.pipeInput('k', null, 6);
    const read = (t: string) =>
      driver
        .createOutputTopic(t)
        .readRecordsToList()
        .map((x) => `${x.value}@${x.timestamp}`);
    expect(read('inner')).toEqual(['a+x@5', 'b+x@5', 'null@6']);
    expect(read('left')).toEqual(['a+null@1', 'a+x@5', 'b+x@5', 'b+null@6']);
    expect(read('outer')).toEqual(['a+null@1', 'a+x@5', 'b+x@5', 'b+null@6']);
    await driver.close();
  });

  it('toTable after a key change repartitions; the table is restored from its changelog by the task state', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in')
      .selectKey((_k, v) => v.split(':')[0]!)
      .toTable({ storeName: 'latest' })
      .toStream()
      .to('out');
    const topology = builder.build();
    expect(topology.describe().toString()).toContain('KSTREAM-TOTABLE-0000000002-repartition-sink');
    const driver = new TopologyTestDriver(
      topology,
      { applicationId: 'tt' },
      { taskStateFactory: (o) => createTaskState(o, { log: () => undefined }) },
    );
    const input = driver.createInputTopic('in');
    await input.pipeInput('x', 'a:1', 1);
    await input.pipeInput('y', 'a:2', 2);
    expect(driver.createOutputTopic('out').readKeyValuesToList()).toEqual([
      { key: 'a', value: 'a:1' },
      { key: 'a', value: 'a:2' },
    ]);
    const changelog = driver.createOutputTopic('tt-latest-changelog', { valueSerde: Serdes.buffer() });
    expect(changelog.readRecordsToList().length).toBeGreaterThan(0);
    await driver.close();
  });
});
