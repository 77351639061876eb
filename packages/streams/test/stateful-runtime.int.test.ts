import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestTopics } from '@streamtune/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaStreams, StreamsBuilder } from '../src/index';
import { countByKey, countsStore } from './fixtures/counting';
import { baseConfig, ownInternalTopics } from './helpers';

const counter = countByKey<string>();

describe('KafkaStreams with a state store', () => {
  const topics = new TestTopics('streams-state');
  const running: KafkaStreams[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
    await topics.cleanup();
  });

  it('writes the changelog at the task partition, checkpoints on close, and continues from local state', async () => {
    const input = topics.name('in');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create([input, output], 2);
    ownInternalTopics(topics, appId, 'counts-changelog');
    const build = () => {
      const b = new StreamsBuilder();
      b.addStore(countsStore());
      b.stream(input)
        .process(counter, { stores: ['counts'] })
        .to(output);
      return b.build();
    };
    const config = baseConfig(appId);
    const keys = ['a', 'b', 'c', 'd'];
    const wave = () =>
      keys.flatMap((k) => [
        { key: k, value: 'x' },
        { key: k, value: 'y' },
      ]);

    const first = new KafkaStreams(build(), config);
    running.push(first);
    await topics.produce(input, wave());
    await first.start();
    await topics.consumeUntil(output, (r) => r.length >= 8);
    await first.close();
    running.pop();

    const admin = await topics.admin();
    const changelog = `${appId}-counts-changelog`;
    const meta = await admin.fetchTopicMetadata({ topics: [changelog] });
    expect(meta.topics[0]!.partitions).toHaveLength(2);
    // the record cache keeps the last count of each key until the commit: one change per key
    const changes = await topics.consumeUntil(changelog, (r) => r.length >= 4);
    expect(changes.map((c) => `${c.key}=${c.value}`).sort()).toEqual(['a=2', 'b=2', 'c=2', 'd=2']);
    // a key's changes sit in the changelog partition of the task that owns the key's input partition
    const inputs = await topics.consumeUntil(input, (r) => r.length >= 8);
    const partitionOf = new Map(inputs.map((r) => [r.key, r.partition]));
    expect(changes.every((c) => c.partition === partitionOf.get(c.key))).toBe(true);
    // clean close: each task with writes has a checkpoint naming the store's last changelog offset
    const checkpoints = [0, 1]
      .map((p) => join(config.stateDir, appId, `0_${p}`, '.checkpoint'))
      .filter((f) => existsSync(f))
      .map((f) => JSON.parse(readFileSync(f, 'utf8')) as { offsets: Record<string, string> });
    const lastOffsets = [0, 1]
      .map((p) => changes.filter((c) => c.partition === p).map((c) => Number(c.offset)))
      .filter((o) => o.length)
      .map((o) => String(Math.max(...o)));
    expect(checkpoints.map((c) => c.offsets.counts).sort()).toEqual(lastOffsets.sort());

    const second = new KafkaStreams(build(), config);
    running.push(second);
    await topics.produce(input, wave());
    await second.start();
    const out = await topics.consumeUntil(output, (r) => r.length >= 16);
    const finalCounts = new Map<string, string>();
    for (const r of out) finalCounts.set(r.key!, r.value!);
    expect(Object.fromEntries(finalCounts)).toEqual({ a: '4', b: '4', c: '4', d: '4' });
    await admin.deleteGroups([appId]).catch(() => undefined);
  });
});
