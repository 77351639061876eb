import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  kafkaBrokers,
  testKafka,
  TestTopics,
  type ManagedProcess,
  type TestRecord,
} from '@streamtune/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startFixtureApp } from './child-app';
import { KafkajsChangelogReader } from '../src/client/kafkajs-changelog-reader';
import { KafkaStreams } from '../src/index';
import { JOIN_STORES, joinTopology } from './fixtures/join-topology';
import { baseConfig, ownInternalTopics, waitForState } from './helpers';

const fixture = new URL('./fixtures/join-app.ts', import.meta.url);
// recent enough for the changelogs' retention.ms (store retention + additional retention)
const T = Date.now() - 60_000;
const at = (key: string | null, value: string, timestamp: number, partition: number): TestRecord => ({
  key,
  value,
  timestamp,
  partition,
});

/** Phase 1: 40 left records a*, 20 right partners; 10 left records b* that never find one. */
const phase1 = {
  left: [
    ...Array.from({ length: 40 }, (_, i) => at(`a${i}`, `La${i}`, T, i % 2)),
    ...Array.from({ length: 10 }, (_, i) => at(`b${i}`, `Lb${i}`, T, i % 2)),
  ],
  right: Array.from({ length: 20 }, (_, i) => at(`a${i}`, `Ra${i}`, T + 100, i % 2)),
};
/** Phase 2: the other 20 partners (they must find phase 1's left records in restored state) and time ticks. */
const phase2 = {
  left: [at('tick0', 'tick', T + 10_000, 0), at('tick1', 'tick', T + 10_000, 1)],
  right: [
    ...Array.from({ length: 20 }, (_, i) => at(`a${i + 20}`, `Ra${i + 20}`, T + 200, i % 2)),
    at('tock0', 'tock', T + 10_000, 0),
    at('tock1', 'tock', T + 10_000, 1),
  ],
};
const expectedAfterPhase2 = [
  ...Array.from({ length: 40 }, (_, i) => `La${i}+Ra${i}`),
  ...Array.from({ length: 10 }, (_, i) => `Lb${i}+null`),
].sort();

describe('stream-stream left join end to end on the real broker', () => {
  const topics = new TestTopics('join-e2e');
  const running: KafkaStreams[] = [];
  const children: ManagedProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await c.kill();
    await Promise.all(running.splice(0).map((s) => s.close()));
    await topics.cleanup();
  });

  async function setup() {
    const left = topics.name('left');
    const right = topics.name('right');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create([left, right, output], 2);
    ownInternalTopics(topics, appId, ...JOIN_STORES.map((s) => `${s}-changelog`));
    return { left, right, output, appId };
  }

  function start(appId: string, names: { left: string; right: string; output: string }, extra: object = {}) {
    const streams = new KafkaStreams(
      joinTopology(names.left, names.right, names.output),
      { ...baseConfig(appId), ...extra },
      { changelogReader: new KafkajsChangelogReader(testKafka('join-e2e-restore')) },
    );
    running.push(streams);
    return streams;
  }

  it('joins in window and at its boundary, emits unmatched left records only after the window, and creates changelogs as configured', async () => {
    const names = await setup();
    const streams = start(names.appId, names, { windowStoreChangelogAdditionalRetentionMs: 3_600_000 });
    await streams.start();
    await waitForState(streams, 'RUNNING');
    await topics.produce(names.left, [
      at('k1', 'L1', T, 1),
      at('k2', 'L2', T, 0),
      at('k3', 'L3', T, 1),
      at('k4', 'L4a', T, 0),
      at('k4', 'L4b', T, 0),
      at(null, 'Ln', T, 0),
      at('k6', 'L6', T + 999, 0),
    ]);
    await topics.produce(names.right, [
      at('k1', 'R1', T + 500, 1),
      at('k2', 'R2', T + 1_000, 0),
      at('k3', 'R3', T + 1_001, 1),
      at('k4', 'R4', T + 10, 0),
      at('k5', 'R5', T, 1),
      at('k6', 'R6', T, 0),
    ]);
    await topics.produce(names.left, [
      at('tick0', 'tick', T + 10_000, 0),
      at('tick1', 'tick', T + 10_000, 1),
    ]);
    const expected = ['L1+R1', 'L2+R2', 'L3+null', 'L4a+R4', 'L4b+R4', 'Ln+null', 'L6+R6'].sort();
    const out = await topics.consumeUntil(names.output, (r) => r.length >= expected.length, {
      timeoutMs: 60_000,
    });
    expect(out.map((r) => r.value).sort()).toEqual(expected);
    const joined = out.find((r) => r.value === 'L1+R1')!;
    expect(joined.timestamp).toBe(T + 500);
    expect(out.find((r) => r.value === 'L3+null')!.timestamp).toBe(T);

    // changelog topics as the config says, read back from the broker
    const admin = await topics.admin();
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: JOIN_STORES.map((s) => ({ type: 2, name: `${names.appId}-${s}-changelog` })),
    });
    const configOf = (store: string) => {
      const entries = described.resources.find(
        (r) => r.resourceName === `${names.appId}-${store}-changelog`,
      )!.configEntries;
      return Object.fromEntries(entries.map((e) => [e.configName, e.configValue]));
    };
    const windowRetention = String(2_000 + 3_600_000); // before + after + grace + additional
    expect(configOf('j-this-join-store')).toMatchObject({
      'cleanup.policy': 'delete',
      'retention.ms': windowRetention,
    });
    expect(configOf('j-outer-other-join-store')).toMatchObject({
      'cleanup.policy': 'delete',
      'retention.ms': windowRetention,
    });
    expect(configOf('j-left-shared-join-store')).toMatchObject({ 'cleanup.policy': 'compact' });
  });

  it("windowStoreChangelogRetention 'broker-default' leaves retention.ms to the broker", async () => {
    const names = await setup();
    const streams = start(names.appId, names, { windowStoreChangelogRetention: 'broker-default' });
    await streams.start();
    await waitForState(streams, 'RUNNING');
    const admin = await topics.admin();
    const topic = `${names.appId}-j-this-join-store-changelog`;
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic }],
    });
    const retention = described.resources[0]!.configEntries.find((e) => e.configName === 'retention.ms')!;
    expect(retention.isDefault).toBe(true);
    const cleanup = described.resources[0]!.configEntries.find((e) => e.configName === 'cleanup.policy')!;
    expect(cleanup.configValue).toBe('delete');
  });

  it('refuses to start when the joined topics are not co-partitioned', async () => {
    const left = topics.name('left');
    const right = topics.name('right');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create([left, output], 2);
    await topics.create(right, 3);
    ownInternalTopics(topics, appId, ...JOIN_STORES.map((s) => `${s}-changelog`));
    const streams = start(appId, { left, right, output });
    await expect(streams.start()).rejects.toThrow(/not co-partitioned.*\(2 partitions\).*\(3 partitions\)/);
  });

  it('local state directory deleted between runs: restore from the changelogs gives the same results', async () => {
    const names = await setup();
    const first = start(names.appId, names);
    const restored = new Map<string, number>();
    await first.start();
    await waitForState(first, 'RUNNING');
    await topics.produce(names.left, phase1.left);
    await topics.produce(names.right, phase1.right);
    await topics.consumeUntil(names.output, (r) => r.length >= 20, { timeoutMs: 60_000 });
    await first.close();
    running.splice(running.indexOf(first), 1);
    rmSync(first.config.stateDir, { recursive: true, force: true });

    const second = start(names.appId, names, { stateDir: mkdtempSync(join(tmpdir(), 'streams-int-')) });
    second.events.on('restore.end', (e) => restored.set(e.store, (restored.get(e.store) ?? 0) + e.restored));
    await second.start();
    await waitForState(second, 'RUNNING');
    // the partners before the ticks: a tick processed before a partner is fetched moves stream
    // time past the partner's window, which drops it as late and emits its left record unmatched
    // (as Kafka Streams does with max.task.idle.ms = 0)
    await topics.produce(names.right, phase2.right);
    await topics.produce(names.left, phase2.left);
    const out = await topics.consumeUntil(
      names.output,
      (r) => expectedAfterPhase2.every((v) => r.some((x) => x.value === v)),
      { timeoutMs: 60_000 },
    );
    // offsets were committed on the clean close, so a20..a39 and b* can only come from restored state
    expect([...new Set(out.map((r) => r.value))].sort()).toEqual(expectedAfterPhase2);
    expect(restored.get('j-this-join-store')).toBe(50);
    expect(restored.get('j-left-shared-join-store')).toBeGreaterThanOrEqual(30);
  });

  it('SIGKILL mid-stream and restart: every expected result is present', async () => {
    const names = await setup();
    const stateDir = mkdtempSync(join(tmpdir(), 'streams-int-'));
    const env = {
      LEFT: names.left,
      RIGHT: names.right,
      OUTPUT: names.output,
      APP_ID: names.appId,
      STATE_DIR: stateDir,
      KAFKA_BROKERS: kafkaBrokers().join(','),
    };
    const first = startFixtureApp(fixture, env);
    children.push(first);
    await topics.produce(names.left, phase1.left);
    await topics.produce(names.right, phase1.right);
    await topics.consumeUntil(names.output, (r) => r.length >= 20, { timeoutMs: 90_000 });
    await first.kill();

    const second = startFixtureApp(fixture, env);
    children.push(second);
    // the partners before the ticks: a tick processed before a partner is fetched moves stream
    // time past the partner's window, which drops it as late and emits its left record unmatched
    // (as Kafka Streams does with max.task.idle.ms = 0)
    await topics.produce(names.right, phase2.right);
    await topics.produce(names.left, phase2.left);
    const out = await topics.consumeUntil(
      names.output,
      (r) => expectedAfterPhase2.every((v) => r.some((x) => x.value === v)),
      { timeoutMs: 90_000 },
    );
    await second.stop({ graceMs: 60_000 }); // a clean close, however loaded the machine
    expect([...new Set(out.map((r) => r.value))].sort()).toEqual(expectedAfterPhase2);
  });
});
