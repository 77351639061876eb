import { testKafka, TestTopics } from '@streamtune/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkajsChangelogReader } from '../src/client/kafkajs-changelog-reader';

describe('KafkajsChangelogReader on a real broker', () => {
  const topics = new TestTopics('changelog-reader');
  const reader = new KafkajsChangelogReader(testKafka('changelog-reader'), 'changelog-reader-test', 200);
  afterAll(() => topics.cleanup());

  it('reads exactly [from, to) of one partition, batch by batch, and reports offsets', async () => {
    const topic = topics.name('log');
    await topics.create(topic, 3);
    await topics.produce(
      topic,
      Array.from({ length: 30 }, (_, i) => ({
        key: `k${i}`,
        value: `v${i}`,
        partition: i % 3,
        timestamp: 1_000 + i,
      })),
    );
    expect(await reader.offsets(topic, 1)).toEqual({ low: '0', high: '10' });
    const seen: Array<[string, string, number]> = [];
    let batches = 0;
    await reader.read(topic, 1, '2', '7', async (records) => {
      batches++;
      for (const r of records) seen.push([r.offset, r.value!.toString(), r.timestamp]);
    });
    expect(batches).toBeGreaterThan(0);
    expect(seen).toEqual([2, 3, 4, 5, 6].map((o) => [String(o), `v${o * 3 + 1}`, 1_000 + o * 3 + 1]));
    await expect(reader.offsets(topic, 7)).rejects.toThrow(/has no partition 7/);
  });

  it('ends when the records it should read were deleted meanwhile', async () => {
    const topic = topics.name('deleted');
    await topics.create(topic, 1);
    await topics.produce(
      topic,
      Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: `v${i}` })),
    );
    const admin = await topics.admin();
    await admin.fetchTopicMetadata({ topics: [topic] }); // kafkajs needs the new topic's leader first
    await admin
      .deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '-1' }] })
      .catch((e: { partitions?: unknown }) => {
        throw new Error(JSON.stringify(e.partitions ?? e));
      });
    let records = 0;
    await reader.read(topic, 0, '0', '10', async (batch) => {
      records += batch.length;
    });
    expect(records).toBe(0);
  });
});
