import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaBrokers, type TestTopics } from '@streamtune/testkit';
import type { KafkaStreams, StreamsState } from '../src/index';

/** Resolves when the instance reaches `state`; rejects if it ends in ERROR first. */
export function waitForState(streams: KafkaStreams, state: StreamsState, timeoutMs = 60_000): Promise<void> {
  if (streams.state() === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`state ${state} not reached within ${timeoutMs} ms (now ${streams.state()})`)),
      timeoutMs,
    );
    const off = streams.events.on('state.change', ({ to }) => {
      if (to === state) {
        clearTimeout(timer);
        off();
        resolve();
      } else if (to === 'ERROR' && state !== 'ERROR') {
        clearTimeout(timer);
        off();
        reject(streams.error() ?? new Error('streams went to ERROR'));
      }
    });
  });
}

export function baseConfig(applicationId: string) {
  return {
    applicationId,
    bootstrapServers: kafkaBrokers(),
    commitIntervalMs: 200,
    stateDir: mkdtempSync(join(tmpdir(), 'streams-int-')),
    consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, maxPollIntervalMs: 20_000 },
  };
}

/** Internal topics a test's application creates, so cleanup deletes them. */
export function ownInternalTopics(topics: TestTopics, applicationId: string, ...more: string[]): void {
  topics.own(`${applicationId}-dead-letters`, ...more.map((m) => `${applicationId}-${m}`));
}

export function keyedRecords(n: number, prefix = 'k', partitions?: number) {
  return Array.from({ length: n }, (_, i) => ({
    key: `${prefix}${i}`,
    value: String(i),
    ...(partitions ? { partition: i % partitions } : {}),
  }));
}
