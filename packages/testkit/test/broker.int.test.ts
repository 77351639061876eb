import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaLibDir, repoRoot, testKafka, TestTopics } from '../src/index';

const run = promisify(execFile);

describe('the test broker', () => {
  let topics: TestTopics;
  afterEach(async () => topics.cleanup());

  it('round-trips produced records with keys, values, headers and timestamps', async () => {
    topics = new TestTopics('roundtrip');
    const topic = topics.name('in');
    await topics.create(topic, 3);
    const sent = Array.from({ length: 30 }, (_, i) => ({
      key: `k${i}`,
      value: `v${i}`,
      timestamp: 1_700_000_000_000 + i,
      headers: { origin: 'smoke' },
    }));
    await topics.produce(topic, sent);
    // kafkajs retries a whole produce request when one partition's leader is not ready yet
    // (common on a topic created a moment ago), so a record may arrive twice: at-least-once.
    const distinct = (r: { key: string | null }[]) => new Set(r.map((x) => x.key)).size;
    const got = await topics.consumeUntil(topic, (r) => distinct(r) >= sent.length);
    expect([...new Set(got.map((r) => `${r.key}=${r.value}@${r.timestamp}`))].sort()).toEqual(
      sent.map((r) => `${r.key}=${r.value}@${r.timestamp}`).sort(),
    );
    expect(got.every((r) => r.headers.origin === 'smoke')).toBe(true);
  });

  it('resumes a consumer group from its committed offset', async () => {
    topics = new TestTopics('resume');
    const topic = topics.name('in');
    const groupId = topics.groupId();
    await topics.create(topic, 1);
    await topics.produce(
      topic,
      Array.from({ length: 10 }, (_, i) => ({ key: null, value: `a${i}` })),
    );
    const first = await topics.consumeUntil(topic, (r) => r.length >= 10, { groupId });
    expect(first.map((r) => r.value)).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));

    const admin = await topics.admin();
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed[0]?.partitions[0]?.offset).toBe('10');

    await topics.produce(
      topic,
      Array.from({ length: 5 }, (_, i) => ({ key: null, value: `b${i}` })),
    );
    const second = await topics.consumeUntil(topic, (r) => r.length >= 5, { groupId });
    expect(second.map((r) => r.value)).toEqual(Array.from({ length: 5 }, (_, i) => `b${i}`));
  });

  it("places keyed records on the partition the Java client's murmur2 partitioner chooses", async () => {
    topics = new TestTopics('murmur2');
    const topic = topics.name('keyed');
    await topics.create(topic, 12);
    const keys = [
      'order-1',
      'order-42',
      'session-7',
      'customer-123456',
      'a',
      'ü-unicode',
      '',
      'x'.repeat(100),
    ];
    await topics.produce(
      topic,
      keys.map((key) => ({ key, value: 'v' })),
    );
    const got = await topics.consumeUntil(topic, (r) => new Set(r.map((x) => x.key)).size >= keys.length);
    const byKey = new Map(got.map((r) => [r.key ?? '', r.partition]));

    const root = repoRoot();
    const lib = kafkaLibDir(root);
    expect(readdirSync(lib).some((f) => /^kafka-clients-.*\.jar$/.test(f))).toBe(true);
    const { stdout } = await run('java', [
      '-cp',
      join(lib, '*'),
      join(root, 'packages/testkit/test/JavaPartitioner.java'),
      '12',
      ...keys,
    ]);
    const javaByKey = new Map(
      stdout
        .trimEnd()
        .split('\n')
        .map((line) => {
          const [key, partition] = line.split('\t');
          return [key ?? '', Number(partition)] as const;
        }),
    );
    expect(javaByKey.size).toBe(keys.length);
    for (const key of keys)
      expect({ key, partition: byKey.get(key) }).toEqual({ key, partition: javaByKey.get(key) });
    // not all on one partition: the comparison would be vacuous otherwise
    expect(new Set(javaByKey.values()).size).toBeGreaterThan(3);
  });

  it('refuses to auto-create topics, as the test broker is configured to', async () => {
    topics = new TestTopics('autocreate');
    const producer = testKafka().producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await expect(
      producer.send({ topic: topics.name('missing'), messages: [{ value: 'x' }], acks: -1, timeout: 3000 }),
    ).rejects.toThrow();
    await producer.disconnect();
  });
});
