// first, as every user of the package does: the fix is in place before kafkajs loads
import { readCommittedFixInstalled } from '../src/index';
import { kafkaBrokers, TestTopics } from '@streamtune/testkit';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';

describe('read_committed on kafkajs with the fix, real broker', () => {
  const topics = new TestTopics('kafkajs-rc');
  const producers: Producer[] = [];
  afterEach(async () => {
    for (const p of producers.splice(0)) await p.disconnect().catch(() => undefined);
    await topics.cleanup();
  });

  it('a consumer sees no record of two interleaved aborted transactions, whatever order they ended in', async () => {
    expect(readCommittedFixInstalled()).toBe(true);
    const topic = topics.name('t');
    await topics.create([topic], 1);
    const kafka = new Kafka({ clientId: 'kafkajs-rc', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    const producer = async (id: string) => {
      const p = kafka.producer({
        transactionalId: `${topic}-${id}`,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      producers.push(p);
      await p.connect();
      return p;
    };
    const [a, b, c] = await Promise.all([producer('a'), producer('b'), producer('c')]);
    const send = (t: Awaited<ReturnType<Producer['transaction']>>, value: string) =>
      t.send({ topic, messages: [{ key: 'k', value }] });
    // A begins first and aborts last: the broker lists B's abort first
    const ta = await a.transaction();
    await send(ta, 'a1');
    const tb = await b.transaction();
    await send(tb, 'b1');
    await send(ta, 'a2');
    await send(tb, 'b2');
    await tb.abort();
    const tc = await c.transaction();
    await send(tc, 'c1');
    await send(ta, 'a3');
    await ta.abort();
    await send(tc, 'c2');
    await tc.commit();

    const seen = await topics.consumeUntil(topic, (r) => r.some((x) => x.value === 'c2'));
    expect(seen.map((r) => r.value)).toEqual(['c1', 'c2']);
  });
});
