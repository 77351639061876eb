import { kafkaBrokers, TestTopics, type ManagedProcess } from '@streamtune/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startFixtureApp } from './child-app';
import { KafkaStreams, StreamsBuilder } from '../src/index';
import { baseConfig, ownInternalTopics, waitForState } from './helpers';

const fixture = new URL('./fixtures/slow-passthrough-app.ts', import.meta.url);

/** Values i in 0..n-1, produced to partition i % partitions so offset = floor(i / partitions). */
function numbered(n: number, partitions: number, from = 0) {
  return Array.from({ length: n }, (_, j) => {
    const i = from + j;
    return { key: `k${i}`, value: String(i), partition: i % partitions };
  });
}

describe('at-least-once across crashes and rebalances', () => {
  const topics = new TestTopics('streams-crash');
  const children: ManagedProcess[] = [];
  const running: KafkaStreams[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await c.kill();
    await Promise.all(running.splice(0).map((s) => s.close()));
    await topics.cleanup();
  });

  it('a SIGKILLed instance, restarted, loses nothing and duplicates only uncommitted records', async () => {
    const input = topics.name('in');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create([input, output], 2);
    ownInternalTopics(topics, appId);
    const total = 2000;
    await topics.produce(input, numbered(total, 2));
    const env = {
      INPUT: input,
      OUTPUT: output,
      APP_ID: appId,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      PAUSE_EVERY: '10',
    };

    const first = startFixtureApp(fixture, env);
    children.push(first);
    await topics.consumeUntil(output, (r) => r.length >= 500, { timeoutMs: 60_000 });
    await first.kill();

    const admin = await topics.admin();
    const [committed] = await admin.fetchOffsets({ groupId: appId, topics: [input] });
    const committedAt = new Map(
      committed!.partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))]),
    );
    const killedAfter = (await topics.consumeUntil(output, () => true)).length;
    expect(killedAfter).toBeLessThan(total); // it really died mid-stream

    const second = startFixtureApp(fixture, env);
    children.push(second);
    const out = await topics.consumeUntil(output, (r) => new Set(r.map((x) => x.value)).size >= total, {
      timeoutMs: 90_000,
    });
    await second.stop({ graceMs: 60_000 }); // a clean close, however loaded the machine

    const counts = new Map<number, number>();
    for (const r of out) counts.set(Number(r.value), (counts.get(Number(r.value)) ?? 0) + 1);
    expect(counts.size).toBe(total);
    const duplicates = [...counts].filter(([, c]) => c > 1).map(([i]) => i);
    // a duplicate must come from after the committed offset of its partition at the time of the kill
    const outsideUncommitted = duplicates.filter((i) => Math.floor(i / 2) < committedAt.get(i % 2)!);
    expect(outsideUncommitted).toEqual([]);
    expect([...counts.values()].every((c) => c <= 2)).toBe(true);
    await admin.deleteGroups([appId]).catch(() => undefined);
  });

  it('two instances share the partitions; a third joins and leaves; nothing is lost', async () => {
    const input = topics.name('in');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create([input, output], 4);
    ownInternalTopics(topics, appId);
    const build = () => {
      const b = new StreamsBuilder();
      b.stream(input).to(output);
      return b.build();
    };
    const processedBy = [0, 0, 0];
    const start = async (i: number) => {
      const s = new KafkaStreams(build(), baseConfig(appId));
      s.events.on('record.processed', () => processedBy[i]!++);
      running.push(s);
      await s.start();
      return s;
    };
    const a = await start(0);
    const b = await start(1);
    await Promise.all([waitForState(a, 'RUNNING'), waitForState(b, 'RUNNING')]);
    await topics.produce(input, numbered(600, 4, 0));
    await topics.consumeUntil(output, (r) => r.length >= 600);

    const c = await start(2);
    await waitForState(c, 'RUNNING');
    await topics.produce(input, numbered(600, 4, 600));
    await topics.consumeUntil(output, (r) => new Set(r.map((x) => x.value)).size >= 1200);
    await c.close();
    running.splice(running.indexOf(c), 1);

    await topics.produce(input, numbered(600, 4, 1200));
    const out = await topics.consumeUntil(output, (r) => new Set(r.map((x) => x.value)).size >= 1800, {
      timeoutMs: 60_000,
    });
    expect(new Set(out.map((r) => Number(r.value))).size).toBe(1800);
    expect(processedBy[0]).toBeGreaterThan(0);
    expect(processedBy[1]).toBeGreaterThan(0);
    expect(processedBy[2]).toBeGreaterThan(0);
    // at-least-once: every record processed, some possibly twice around a hand-over
    expect(processedBy.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(1800);
    const admin = await topics.admin();
    await admin.deleteGroups([appId]).catch(() => undefined);
  });
});
