import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalBroker, TestTopics, type RunningBroker } from '@streamtune/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaStreams, StreamsBuilder } from '../src/index';
import { allCounted, expectEachCountOnce, keyed } from './count-checks';
import { countByKey, countsStore } from './fixtures/counting';
import { ownInternalTopics } from './helpers';

// A broker of this file's own: restarting the run's broker would disturb every other test.
describe('a broker restart under load', () => {
  let broker: RunningBroker;
  let topics: TestTopics;
  const running: KafkaStreams[] = [];
  beforeAll(async () => {
    broker = await startLocalBroker();
    topics = new TestTopics('streams-broker-restart', [broker.bootstrap]);
  }, 180_000);
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
    await topics.cleanup();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  for (const guarantee of ['at_least_once', 'exactly_once_v2'] as const) {
    it(`${guarantee}: the instance reconnects by itself and loses nothing${guarantee === 'exactly_once_v2' ? ', writes nothing twice' : ''}`, async () => {
      const input = topics.name('in');
      const output = topics.name('out');
      const appId = topics.name('app');
      await topics.create([input, output], 2);
      ownInternalTopics(topics, appId, 'counts-changelog');
      const total = 4000;
      await topics.produce(input, keyed(total));
      const b = new StreamsBuilder();
      b.addStore(countsStore());
      b.stream<string, string>(input)
        .process(countByKey({ pauseEvery: 2, format: (key, count) => `${key}:${count}` }), {
          stores: ['counts'],
        })
        .to(output);
      const streams = new KafkaStreams(b.build(), {
        applicationId: appId,
        bootstrapServers: [broker.bootstrap],
        processingGuarantee: guarantee,
        commitIntervalMs: guarantee === 'exactly_once_v2' ? 100 : 200,
        stateDir: mkdtempSync(join(tmpdir(), 'streams-broker-restart-')),
        consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, maxPollIntervalMs: 20_000 },
      });
      running.push(streams);
      await streams.start();
      await topics.consumeUntil(output, (r) => r.length >= 300, { timeoutMs: 60_000 });
      // stopped cleanly, down for 3 s, started again on the same port and data
      await broker.restart!(3_000);
      const out = await topics.consumeUntil(output, allCounted(total), { timeoutMs: 180_000 });
      expect(streams.state()).not.toBe('ERROR');
      if (guarantee === 'exactly_once_v2') expectEachCountOnce(out, total);
      else {
        // at-least-once: every count there; repeats only of records after the last commit
        const values = new Set(out.map((r) => r.value));
        const missing = Array.from({ length: 40 }, (_, k) =>
          Array.from({ length: total / 40 }, (_, c) => `k${k}:${c + 1}`),
        )
          .flat()
          .filter((v) => !values.has(v));
        expect(missing).toEqual([]);
      }
    });
  }
});
