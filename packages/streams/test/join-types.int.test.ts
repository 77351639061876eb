import { testKafka, TestTopics, type TestRecord } from '@streamtune/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkajsChangelogReader } from '../src/client/kafkajs-changelog-reader';
import { JoinWindows, KafkaStreams, type JoinType } from '../src/index';
import { joinTopologyOf } from './fixtures/join-topology';
import { baseConfig, ownInternalTopics, waitForState } from './helpers';

const T = Date.now() - 60_000;
const W = JoinWindows.ofTimeDifferenceAndGrace(1_000, 500); // retention 2500 ms
const at = (key: string | null, value: string, timestamp: number, partition: number): TestRecord => ({
  key,
  value,
  timestamp,
  partition,
});

/** Step by step, so that "late" means late in processing order too. */
const steps: Array<{ left: TestRecord[]; right: TestRecord[] }> = [
  {
    left: [
      at('k1', 'L1', T, 1),
      at('k2', 'L2', T, 0),
      at('k3', 'L3', T, 1),
      at('k4', 'L4a', T, 0),
      at('k4', 'L4b', T, 0),
      at(null, 'Ln', T, 1),
      at('k5', 'L5', T + 2_400, 1),
      at('k6', 'L6', T + 300, 0),
    ],
    right: [
      at('k1', 'R1', T + 500, 1), // in window
      at('k2', 'R2', T + 1_000, 0), // at the upper boundary
      at('k3', 'R3', T + 1_001, 1), // one ms outside
      at('k4', 'R4', T + 10, 0), // joins both duplicates
    ],
  },
  // stream time T + 3000 on both partitions
  { left: [at('tA0', 'tickA', T + 3_000, 0), at('tA1', 'tickA', T + 3_000, 1)], right: [] },
  {
    left: [],
    right: [
      at('k5', 'R5', T + 2_550, 1), // 450 ms late, within the 500 ms grace: joins L5
      at('k6', 'R6', T + 400, 0), // older than stream time - retention: its store drops it
    ],
  },
  // closes every window
  { left: [at('tB0', 'tickB', T + 10_000, 0), at('tB1', 'tickB', T + 10_000, 1)], right: [] },
];

const inner = ['L1+R1', 'L2+R2', 'L4a+R4', 'L4b+R4', 'L5+R5'];
const leftOnly = ['L3+null', 'Ln+null', 'L6+null', 'tickA+null', 'tickA+null'];
const expected: Record<JoinType, string[]> = {
  inner,
  left: [...inner, ...leftOnly],
  outer: [...inner, ...leftOnly, 'null+R3', 'null+R6'],
};

describe.each(['inner', 'left', 'outer'] as const)('%s join end to end on the real broker', (type) => {
  const topics = new TestTopics(`join-${type}`);
  const running: KafkaStreams[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
    await topics.cleanup();
  });

  it('in window, boundaries, duplicates, null keys, late within grace and after retention', async () => {
    const left = topics.name('left');
    const right = topics.name('right');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create([left, right, output], 2);
    const stores =
      type === 'inner'
        ? ['j-this-join-store', 'j-other-join-store']
        : type === 'left'
          ? ['j-this-join-store', 'j-outer-other-join-store', 'j-left-shared-join-store']
          : ['j-outer-this-join-store', 'j-outer-other-join-store', 'j-outer-shared-join-store'];
    ownInternalTopics(topics, appId, ...stores.map((s) => `${s}-changelog`));
    const streams = new KafkaStreams(joinTopologyOf(type, W, left, right, output), baseConfig(appId), {
      changelogReader: new KafkajsChangelogReader(testKafka('join-types-restore')),
    });
    running.push(streams);
    let processed = 0;
    streams.events.on('record.processed', () => processed++);
    const drops: string[] = [];
    streams.events.on('record.dropped', (e) => drops.push(e.reason));
    await streams.start();
    await waitForState(streams, 'RUNNING');

    let sent = 0;
    for (const step of steps) {
      if (step.left.length) await topics.produce(left, step.left);
      if (step.right.length) await topics.produce(right, step.right);
      sent += step.left.length + step.right.length;
      const target = sent;
      await expect.poll(() => processed, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(target);
    }
    const want = [...expected[type]].sort();
    const out = await topics.consumeUntil(output, (r) => r.length >= want.length, { timeoutMs: 30_000 });
    expect(out.map((r) => r.value).sort()).toEqual(want);
    // and nothing more: the last step's own records never close their windows
    const admin = await topics.admin();
    const written = (await admin.fetchTopicOffsets(output)).reduce((n, p) => n + Number(p.high), 0);
    expect(written).toBe(want.length);
    expect(out.find((r) => r.value === 'L2+R2')?.timestamp).toBe(T + 1_000);
    expect(drops).toContain('expired-window');
    if (type === 'inner') expect(drops).toContain('null-key-or-value');
  });
});
