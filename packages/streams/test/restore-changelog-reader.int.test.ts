import { testKafka, TestTopics } from '@streamtune/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkajsChangelogReader } from '../src/client/kafkajs-changelog-reader';

// Record timestamps must be recent: the broker's time-based retention (retention.ms, checked every
// log.retention.check.interval.ms) deletes segments whose newest timestamp is older than retention,
// and a read of records deleted meanwhile correctly ends with nothing.
const NOW = Date.now();

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
        timestamp: NOW + i,
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
    expect(seen).toEqual([2, 3, 4, 5, 6].map((o) => [String(o), `v${o * 3 + 1}`, NOW + o * 3 + 1]));
    await expect(reader.offsets(topic, 7)).rejects.toThrow(/has no partition 7/);
  });

  it('delivers every record exactly once when the range spans many fetches (more than a fetch returns)', async () => {
    const topic = topics.name('big');
    await topics.create(topic, 1);
    // ~3 MiB in one partition: kafkajs fetches at most 1 MiB per partition, so the reader must
    // move its fetch position forward batch by batch, never re-reading or skipping a record
    const value = 'x'.repeat(4_096);
    const count = 800;
    for (let chunk = 0; chunk < count; chunk += 200) {
      await topics.produce(
        topic,
        Array.from({ length: 200 }, (_, i) => ({ key: `k${chunk + i}`, value, timestamp: NOW })),
      );
    }
    const offsets: number[] = [];
    let batches = 0;
    await reader.read(topic, 0, '5', String(count), async (records) => {
      batches++;
      for (const r of records) offsets.push(Number(r.offset));
    });
    expect(batches).toBeGreaterThan(1);
    expect(offsets).toEqual(Array.from({ length: count - 5 }, (_, i) => i + 5));
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
