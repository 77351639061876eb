import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaBrokers, TestTopics, testKafka, type ManagedProcess } from '@streamtune/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startFixtureApp } from './child-app';
import { KafkajsChangelogReader } from '../src/client/kafkajs-changelog-reader';
import { KafkaStreams, Serdes, StreamsBuilder, type KTable } from '../src/index';
import { baseConfig, ownInternalTopics, waitForState } from './helpers';

const fixture = new URL('./fixtures/count-app.ts', import.meta.url);

/** The latest value per key of a topic's records (counts written as strings). */
function latest(records: ReadonlyArray<{ key: string | null; value: string | null }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of records) out.set(r.key!, Math.max(out.get(r.key!) ?? 0, Number(r.value)));
  return out;
}

describe('aggregations and tables on a real broker', () => {
  const topics = new TestTopics('streams-agg');
  const running: KafkaStreams[] = [];
  const children: ManagedProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await c.kill();
    await Promise.all(running.splice(0).map((s) => s.close()));
    await topics.cleanup();
  });

  /** Writes a table of counts to `output` as strings and runs its topology until RUNNING. */
  async function runCounts(counts: KTable<string, number>, output: string, appId: string): Promise<void> {
    counts
      .toStream()
      .mapValues((n) => String(n))
      .to(output, { valueSerde: Serdes.string() });
    const streams = new KafkaStreams(counts.builder.build(), baseConfig(appId));
    running.push(streams);
    await streams.start();
    await waitForState(streams, 'RUNNING');
  }

  it('groupBy goes through <app>-<store>-repartition and counts every record under its new key', async () => {
    const input = topics.name('in');
    const output = topics.name('out');
    const appId = topics.name('app');
    const repartition = 'KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition';
    await topics.create([input, output], 2);
    ownInternalTopics(topics, appId, repartition, 'KSTREAM-AGGREGATE-STATE-STORE-0000000002-changelog');
    await runCounts(
      new StreamsBuilder()
        .stream(input)
        .groupBy((_k, v) => v.split('-')[0]!)
        .count(),
      output,
      appId,
    );
    // keys spread over both input partitions; the new key is the value's prefix
    const records = Array.from({ length: 300 }, (_, i) => ({
      key: `k${i}`,
      value: `${['red', 'green', 'blue'][i % 3]}-${i}`,
      partition: i % 2,
    }));
    await topics.produce(input, records);
    const out = await topics.consumeUntil(
      output,
      (r) => [...latest(r).values()].filter((n) => n === 100).length === 3,
      { timeoutMs: 60_000 },
    );
    expect(Object.fromEntries(latest(out))).toEqual({ red: 100, green: 100, blue: 100 });
    // every result of one new key comes from one task: it was repartitioned by that key
    const partitionsOf = (k: string) => new Set(out.filter((r) => r.key === k).map((r) => r.partition));
    for (const k of ['red', 'green', 'blue']) expect(partitionsOf(k).size).toBe(1);
    const repartitioned = await topics.consumeUntil(`${appId}-${repartition}`, (r) => r.length >= 300);
    expect(repartitioned.filter((r) => r.key === 'red')).toHaveLength(100);
    const admin = await topics.admin();
    await admin.deleteGroups([appId]).catch(() => undefined);
  });

  it('a KTable is restored from its compacted changelog after its local state is wiped', async () => {
    const users = topics.name('users');
    const clicks = topics.name('clicks');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create([users, clicks, output], 2);
    ownInternalTopics(topics, appId, 'users-store-changelog');
    const build = () => {
      const b = new StreamsBuilder();
      const table = b.table(users, {}, { storeName: 'users-store' });
      b.stream(clicks)
        .join(table, (click, user) => `${click}:${user}`)
        .to(output);
      return b.build();
    };
    const reader = () => new KafkajsChangelogReader(testKafka('agg-restore'));
    const first = new KafkaStreams(build(), baseConfig(appId), { changelogReader: reader() });
    running.push(first);
    await first.start();
    await waitForState(first, 'RUNNING');
    const n = 20;
    await topics.produce(
      users,
      Array.from({ length: n }, (_, i) => ({ key: `u${i}`, value: `old${i}`, partition: i % 2 })),
    );
    await topics.produce(
      users,
      Array.from({ length: n }, (_, i) => ({ key: `u${i}`, value: `user${i}`, partition: i % 2 })),
    );
    const changelog = `${appId}-users-store-changelog`;
    // the store's values are timestamped ([8-byte timestamp][value]); the latest per key must be user<i>
    const current = (r: ReadonlyArray<{ key: string | null; value: string | null }>) => {
      const byKey = new Map<string, string>();
      for (const x of r) byKey.set(x.key!, x.value ?? '');
      return byKey;
    };
    await topics.consumeUntil(
      changelog,
      (r) => {
        const byKey = current(r);
        return byKey.size === n && [...byKey.values()].every((v) => v.includes('user'));
      },
      { timeoutMs: 60_000 },
    );
    await first.close();
    running.pop();

    const admin = await topics.admin();
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: changelog }],
    });
    const policy = described.resources[0]!.configEntries.find((e) => e.configName === 'cleanup.policy')!;
    expect(policy.configValue).toBe('compact');

    // a fresh state directory: nothing local, the users topic's offsets are committed, so
    // only the changelog can bring the table back
    const second = new KafkaStreams(build(), baseConfig(appId), { changelogReader: reader() });
    running.push(second);
    let restored = 0;
    second.events.on('restore.end', (e) => {
      restored += e.restored;
    });
    await second.start();
    await waitForState(second, 'RUNNING');
    await topics.produce(
      clicks,
      Array.from({ length: n }, (_, i) => ({ key: `u${i}`, value: `c${i}`, partition: i % 2 })),
    );
    const out = await topics.consumeUntil(output, (r) => r.length >= n, { timeoutMs: 60_000 });
    expect(out.map((r) => r.value).sort()).toEqual(
      Array.from({ length: n }, (_, i) => `c${i}:user${i}`).sort(),
    );
    expect(restored).toBeGreaterThanOrEqual(n);
    await admin.deleteGroups([appId]).catch(() => undefined);
  });

  it('SIGKILL during an aggregation and restart: no update is lost', async () => {
    const input = topics.name('in');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create([input, output], 2);
    ownInternalTopics(topics, appId, 'counts-changelog');
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    const perKey = 200;
    const records = Array.from({ length: keys.length * perKey }, (_, i) => ({
      key: keys[i % keys.length]!,
      value: String(i),
      partition: (i % keys.length) % 2,
    }));
    await topics.produce(input, records);
    const env = {
      INPUT: input,
      OUTPUT: output,
      APP_ID: appId,
      STATE_DIR: mkdtempSync(join(tmpdir(), 'streams-int-')),
      KAFKA_BROKERS: kafkaBrokers().join(','),
    };
    const first = startFixtureApp(fixture, env);
    children.push(first);
    await topics.consumeUntil(output, (r) => r.length >= 20, { timeoutMs: 90_000 });
    await first.kill();
    const admin = await topics.admin();
    const [committed] = await admin.fetchOffsets({ groupId: appId, topics: [input] });
    const committedRecords = committed!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    expect(committedRecords).toBeLessThan(records.length); // it died mid-stream

    const second = startFixtureApp(fixture, env);
    children.push(second);
    const out = await topics.consumeUntil(
      output,
      (r) => {
        const counts = latest(r);
        return keys.every((k) => (counts.get(k) ?? 0) >= perKey);
      },
      { timeoutMs: 120_000 },
    );
    await second.stop({ graceMs: 60_000 }); // a clean close, however loaded the machine
    // at-least-once: a record after the last commit may be counted twice, never not at all
    for (const k of keys) expect(latest(out).get(k)).toBeGreaterThanOrEqual(perKey);
    await admin.deleteGroups([appId]).catch(() => undefined);
  });

  it('rows that move between groups on other partitions leave their old group and join the new one, through <store>-repartition', async () => {
    const users = topics.name('users');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create([users, output], 2);
    ownInternalTopics(
      topics,
      appId,
      'by-region-repartition',
      'by-region-changelog',
      `${users}-STATE-STORE-0000000000-changelog`,
    );
    await runCounts(
      new StreamsBuilder()
        .table<string, string>(users)
        .groupBy((user, region) => ({ key: region, value: user }))
        .count({ storeName: 'by-region' }),
      output,
      appId,
    );

    const region = (i: number, shift = 0) => `r${(i + shift) % 4}`;
    await topics.produce(
      users,
      Array.from({ length: 100 }, (_, i) => ({ key: `u${i}`, value: region(i), partition: i % 2 })),
    );
    // half the users move to the next region, ten are deleted
    const changes = [
      ...Array.from({ length: 50 }, (_, i) => ({ key: `u${i}`, value: region(i, 1), partition: i % 2 })),
      ...Array.from({ length: 10 }, (_, j) => ({ key: `u${50 + j}`, value: null, partition: (50 + j) % 2 })),
    ];
    await topics.produce(users, changes);
    const expected = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      if (i >= 50 && i < 60) continue;
      const r = region(i, i < 50 ? 1 : 0);
      expected.set(r, (expected.get(r) ?? 0) + 1);
    }

    // each region is one key, on one output partition: its last record is its current count
    const last = (records: ReadonlyArray<{ key: string | null; value: string | null }>) => {
      const byKey = new Map<string, number>();
      for (const r of records) byKey.set(r.key!, Number(r.value));
      return byKey;
    };
    const out = await topics.consumeUntil(
      output,
      (r) => [...expected].every(([k, n]) => last(r).get(k) === n),
      { timeoutMs: 90_000 },
    );
    expect(Object.fromEntries(last(out))).toEqual(Object.fromEntries(expected));
    // the rows went through the repartition topic, keyed by region (the record cache may
    // merge a row's first value with its move, so the exact number of records varies)
    const repartitioned = await topics.consumeUntil(
      `${appId}-by-region-repartition`,
      (r) => r.length >= 100 - 10,
      { timeoutMs: 30_000 },
    );
    expect(new Set(repartitioned.map((r) => r.key))).toEqual(new Set(expected.keys()));
    const admin = await topics.admin();
    await admin.deleteGroups([appId]).catch(() => undefined);
  });
});
