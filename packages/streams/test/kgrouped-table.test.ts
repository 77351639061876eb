import { describe, expect, it } from 'vitest';
import { StreamsBuilder, type KTable } from '../src/index';
import { TopologyTestDriver } from '../src/testing/index';

/** users: user -> region; the regrouped table: region -> something of its users. */
async function run<V>(
  aggregate: (users: KTable<string, string>) => KTable<string, V>,
  updates: ReadonlyArray<readonly [string, string | null, number]>,
  cacheMaxBytes = 0,
): Promise<{ steps: string[][]; store: Array<{ key: string; value: unknown }> }> {
  const builder = new StreamsBuilder();
  aggregate(builder.table<string, string>('users', {}, { storeName: 'users-store' }))
    .toStream()
    .mapValues((v) => (v === null ? null : String(v)))
    .to('out');
  const driver = new TopologyTestDriver(builder.build(), { stateStore: { cacheMaxBytes } });
  const input = driver.createInputTopic<string, string | null>('users');
  const out = driver.createOutputTopic<string, string | null>('out');
  const steps: string[][] = [];
  for (const [key, value, timestamp] of updates) {
    await input.pipeInput(key, value, timestamp);
    steps.push(out.readRecordsToList().map((r) => `${r.key}=${r.value}@${r.timestamp}`));
  }
  const store = await driver.getKeyValueStore<string, unknown>('by-region');
  const all = (await store?.all()) ?? [];
  await driver.close();
  return { steps, store: all };
}

const moves: ReadonlyArray<readonly [string, string | null, number]> = [
  ['u1', 'eu', 1],
  ['u2', 'eu', 2],
  ['u1', 'us', 3], // moves: out of eu, then into us
  ['u2', null, 4], // deleted: out of eu
  ['u1', 'us', 5], // same group: subtract and add in one update
];

describe('KGroupedTable (KTable#groupBy)', () => {
  it('count: a row that moves leaves its old group first, then joins its new one; a group of no rows stays at 0', async () => {
    const { steps, store } = await run(
      (users) =>
        users.groupBy((user, region) => ({ key: region, value: user })).count({ storeName: 'by-region' }),
      moves,
    );
    expect(steps).toEqual([['eu=1@1'], ['eu=2@2'], ['eu=1@3', 'us=1@3'], ['eu=0@4'], ['us=1@5']]);
    expect(store).toEqual([
      { key: 'eu', value: 0 },
      { key: 'us', value: 1 },
    ]);
  });

  it('reduce and aggregate call the subtractor with the old value, the adder with the new', async () => {
    const reduced = await run(
      (users) =>
        users
          .groupBy((user, region) => ({ key: region, value: user }))
          .reduce(
            (a, v) => `${a}+${v}`,
            (a, v) => `${a}-${v}`,
            { storeName: 'by-region' },
          ),
      moves,
    );
    expect(reduced.steps).toEqual([
      ['eu=u1@1'],
      ['eu=u1+u2@2'],
      ['eu=u1+u2-u1@3', 'us=u1@3'],
      ['eu=u1+u2-u1-u2@4'],
      ['us=u1-u1+u1@5'],
    ]);
    const aggregated = await run(
      (users) =>
        users
          .groupBy((user, region) => ({ key: region, value: user }))
          .aggregate(
            () => '',
            (_k, v, a) => `${a}+${v}`,
            (_k, v, a) => `${a}-${v}`,
            { storeName: 'by-region' },
          ),
      moves,
    );
    expect(aggregated.steps).toEqual([
      ['eu=+u1@1'],
      ['eu=+u1+u2@2'],
      ['eu=+u1+u2-u1@3', 'us=+u1@3'],
      ['eu=+u1+u2-u1-u2@4'],
      ['us=+u1-u1+u1@5'],
    ]);
  });

  it('a selected null key or value is skipped: the row only leaves its old group', async () => {
    const { steps } = await run(
      (users) =>
        users
          .groupBy((user, region) => ({
            key: region === 'none' ? (null as unknown as string) : region,
            value: user,
          }))
          .count({ storeName: 'by-region' }),
      [
        ['u1', 'eu', 1],
        ['u1', 'none', 2],
        ['u1', 'eu', 3],
      ],
    );
    expect(steps).toEqual([['eu=1@1'], ['eu=0@2'], ['eu=1@3']]);
  });

  it('with the record cache on, a group forwards its latest aggregate once per flush', async () => {
    const { steps } = await run(
      (users) =>
        users.groupBy((user, region) => ({ key: region, value: user })).count({ storeName: 'by-region' }),
      moves,
      1024 * 1024,
    );
    // the driver flushes after each piped record
    expect(steps).toEqual([['eu=1@1'], ['eu=2@2'], ['eu=1@3', 'us=1@3'], ['eu=0@4'], ['us=1@5']]);
  });

  it('describe(): select, store, <store>-repartition sink and source, aggregate, as Kafka Streams numbers them', () => {
    const builder = new StreamsBuilder();
    builder
      .table<string, string>('users')
      .groupBy((user, region) => ({ key: region, value: user }))
      .count()
      .toStream()
      .to('out');
    const text = builder.build().describe().toString();
    // the source table is materialized (users-STATE-STORE-…): its old values are subtracted
    expect(text).toContain('Processor: KTABLE-SOURCE-0000000002 (stores: [users-STATE-STORE-0000000000])');
    expect(text).toContain('Processor: KTABLE-SELECT-0000000003 (stores: [])');
    expect(text).toContain(
      'Sink: KSTREAM-SINK-0000000005 (topic: KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition)',
    );
    expect(text).toContain(
      'Source: KSTREAM-SOURCE-0000000006 (topics: [KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition])',
    );
    expect(text).toContain(
      'Processor: KTABLE-AGGREGATE-0000000007 (stores: [KTABLE-AGGREGATE-STATE-STORE-0000000004])',
    );
  });
});
