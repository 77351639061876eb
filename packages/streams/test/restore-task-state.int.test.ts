import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaBrokers, testKafka, TestTopics } from '@streamtune/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkajsChangelogReader } from '../src/client/kafkajs-changelog-reader';
import { parseConfig } from '../src/config/schema';
import { StreamsEvents } from '../src/observability/events';
import type { ChangelogSink, KeyValueStore, WindowStore } from '../src/state/api';
import { createTaskState } from '../src/state-manager/index';
import { Stores } from '../src/state/index';
import { changelogTopicName as changelogTopic } from '../src/topology/topic-names';

const TASK = { subtopology: 0, partition: 1 };
// Record timestamps must be recent: the broker's time-based retention deletes changelog segments
// whose newest record is older than retention.ms (checked every log.retention.check.interval.ms),
// and the restore after the deleted state dir would then find only what survived.
const T = Date.now() - 60_000;

describe('restore from changelogs on a real broker (kafkajs ChangelogReader)', () => {
  const topics = new TestTopics('restore');
  const reader = new KafkajsChangelogReader(testKafka('restore-reader'));
  afterAll(async () => {
    await reader.close();
    await topics.cleanup();
  });

  it('crash -> full restore, checkpoint -> restore of the tail only, deleted state dir -> full restore', async () => {
    const appId = topics.name('app');
    const stateDir = mkdtempSync(join(tmpdir(), 'restore-int-'));
    const config = parseConfig({ applicationId: appId, bootstrapServers: kafkaBrokers(), stateDir });
    const builders = [
      Stores.windowStoreBuilder<string, string>({
        name: 'w',
        retentionMs: 600_000,
        windowSizeMs: 1_000,
        retainDuplicates: true,
      }),
      Stores.keyValueStoreBuilder<string, string>({ name: 'kv' }),
    ];
    for (const b of builders)
      await topics.create(changelogTopic(appId, b.name), 2, b.changelogConfig(config));

    const pending: Array<{ store: string; key: Buffer; value: Buffer | null; timestamp: number }> = [];
    const sink: ChangelogSink = {
      append: (store, key, value, timestamp) => pending.push({ store, key, value, timestamp }),
    };
    const produced = new Map<string, number>([
      ['w', 0],
      ['kv', 0],
    ]);
    // what the runtime's record collector does: changelog records to partition = task partition
    const shipChangelog = async () => {
      for (const name of ['w', 'kv']) {
        const records = pending.filter((p) => p.store === name);
        if (!records.length) continue;
        await topics.produce(
          changelogTopic(appId, name),
          records.map((r) => ({
            key: r.key,
            value: r.value,
            timestamp: r.timestamp,
            partition: TASK.partition,
          })),
        );
        produced.set(name, produced.get(name)! + records.length);
      }
      pending.length = 0;
    };
    const events = new StreamsEvents();
    const restoreStarts: Array<[string, number]> = [];
    events.on('restore.start', (e) => restoreStarts.push([e.store, e.toRestore]));
    const restoredTotals = new Map<string, number>();
    events.on('restore.end', (e) => restoredTotals.set(e.store, e.restored));
    const lines: string[] = [];
    const open = async () => {
      restoreStarts.length = 0;
      const state = createTaskState(
        { config, taskId: TASK, storeBuilders: builders, events, changelog: sink, changelogReader: reader },
        { log: (l) => lines.push(l) },
      );
      await state.open();
      return {
        state,
        w: state.stores.get('w') as WindowStore<string, string>,
        kv: state.stores.get('kv') as KeyValueStore<string, string>,
      };
    };
    const snapshot = async (s: Awaited<ReturnType<typeof open>>) => ({
      w: (await s.w.fetch('k', T, T + 10_000_000)).map((e) => `${e.timestamp}:${e.value}`),
      kv: (await s.kv.range()).map((e) => `${e.key}=${e.value}`),
    });

    // first run: writes, ships its changelog, then crashes (no checkpoint)
    const first = await open();
    expect(restoreStarts).toEqual([
      ['w', 0],
      ['kv', 0],
    ]);
    for (let i = 0; i < 50; i++) await first.w.put('k', `v${i}`, T + i);
    await first.w.put('k', 'dup', T);
    await first.kv.put('a', '1');
    await first.kv.put('b', '2');
    await first.kv.delete('a');
    // the commit order: stores flush (their caches write back), then the changelog is acked
    await first.state.flush();
    await shipChangelog();
    const expected = await snapshot(first);
    await first.state.close(false);

    // after a crash the local state is not trusted: wiped and restored from the beginning
    const second = await open();
    // 'a' was put and deleted between two commits: the record cache wrote neither
    expect(restoreStarts).toEqual([
      ['w', 51],
      ['kv', 1],
    ]);
    expect(await snapshot(second)).toEqual(expected);
    expect(lines.some((l) => /restore 0_1 w: done, 51 records/.test(l))).toBe(true);
    await second.w.put('k', 'after-checkpoint', T + 1_000);
    await second.state.checkpoint(
      new Map([
        ['w', String(produced.get('w')! - 1)],
        ['kv', String(produced.get('kv')! - 1)],
      ]),
    );
    await second.state.flush();
    await shipChangelog();
    const expectedAfter = await snapshot(second);
    await second.state.close(true);

    // checkpoint intact: only the record written after it is replayed
    const third = await open();
    expect(restoreStarts).toEqual([
      ['w', 1],
      ['kv', 0],
    ]);
    expect(restoredTotals.get('w')).toBe(1);
    expect(await snapshot(third)).toEqual(expectedAfter);
    await third.state.close(true);

    // the state directory deleted: everything comes back from the changelog
    rmSync(join(stateDir, appId), { recursive: true, force: true });
    const fourth = await open();
    expect(restoreStarts).toEqual([
      ['w', 52],
      ['kv', 1],
    ]);
    expect(await snapshot(fourth)).toEqual(expectedAfter);
    await fourth.state.close(true);
    rmSync(stateDir, { recursive: true, force: true });
  });
});
