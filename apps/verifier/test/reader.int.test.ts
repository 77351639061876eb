import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, testKafka, TestTopics } from '@streamtune/testkit';
import { createKafka, TopicReader, type ReadRecord } from '../src/reader';

const topics = new TestTopics('verifier-reader');
afterAll(() => topics.cleanup());

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('TopicReader on the output of an exactly-once writer', () => {
  // A committed transaction ends its partition with a commit marker that no consumer sees as
  // a record; the verifier waited for it until its timeout under exactly_once_v2.
  it('is caught up once it has read every committed record, the markers after them included', async () => {
    const topic = topics.name('txn-out');
    await topics.create(topic, 2);
    const producer = testKafka('verifier-reader-txn').producer({
      transactionalId: topics.name('txn'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const committed = await producer.transaction();
      await committed.send({
        topic,
        messages: [0, 1, 2, 3].map((i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 2 })),
      });
      await committed.commit();
      // a partition whose last fetched batch is nothing but an aborted record and its marker
      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [{ key: 'gone', value: 'x', partition: 1 }] });
      await aborted.abort();
    } finally {
      await producer.disconnect();
    }

    const kafka = createKafka(kafkaBrokers(), false);
    const admin = kafka.admin();
    await admin.connect();
    const read: ReadRecord[] = [];
    const reader = new TopicReader(kafka, admin, [topic], 0, (r) => read.push(r));
    try {
      await reader.start();
      const caughtUp = await until(async () => read.length === 4 && (await reader.caughtUp()), 30_000);
      expect(read.map((r) => r.key).sort()).toEqual(['k0', 'k1', 'k2', 'k3']);
      expect(caughtUp).toBe(true);
    } finally {
      await reader.stop();
      await admin.disconnect();
    }
  });
});
