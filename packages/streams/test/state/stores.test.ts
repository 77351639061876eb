import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type StreamsConfig } from '../../src/config/schema';
import { StreamsEvents } from '../../src/observability/events';
import type { ChangelogSink } from '../../src/state/api';
import { createLayout } from '../../src/state/leveldb/layouts';
import type { StorageLayout } from '../../src/state/leveldb/layout';
import { segmentIntervalMs } from '../../src/state/segments';
import { defaultSerde } from '../../src/state/serde';
import type { TaskStoreContext } from '../../src/state/store-context';
import { Stores } from '../../src/state/stores';

const HOUR = 3_600_000;

/** The record caches are off unless asked for: these tests are of the layers below them. */
function setup(dir: string, layout: 'per-segment' | 'per-task', cacheMaxBytes = 0) {
  const config: StreamsConfig = parseConfig({
    applicationId: 'app',
    bootstrapServers: 'x:9092',
    stateDir: dir,
    stateStore: { layout, cacheMaxBytes },
  });
  const events = new StreamsEvents();
  const logged: Array<{ store: string; key: Buffer; value: Buffer | null; timestamp: number }> = [];
  const changelog: ChangelogSink = {
    append: (store, key, value, timestamp) => logged.push({ store, key, value, timestamp }),
  };
  const taskDir = join(dir, 'app', '0_0');
  const storage: StorageLayout = createLayout(taskDir, config);
  const context: TaskStoreContext = {
    applicationId: 'app',
    taskId: { subtopology: 0, partition: 0 },
    taskDir,
    events,
    changelog,
    config,
    layout: storage,
    defaultKeySerde: defaultSerde(),
    defaultValueSerde: defaultSerde(),
  };
  return { config, events, logged, context, storage, taskDir };
}

describe.each(['per-segment', 'per-task'] as const)('stores on the %s layout', (layout) => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streamtune-stores-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a window store with retainDuplicates keeps every put and fetches by key and time range', async () => {
    const { context, storage } = setup(dir, layout);
    const store = Stores.windowStoreBuilder<string, string>({
      name: 'w',
      retentionMs: HOUR,
      windowSizeMs: 1000,
      retainDuplicates: true,
    }).build();
    await store.init(context);
    await store.put('a', 'a1', 100);
    await store.put('a', 'a2', 100);
    await store.put('a', 'a3', 200);
    await store.put('ab', 'x', 150);
    await store.put('b', 'y', 150);
    expect(await store.fetch('a', 100, 150)).toEqual([
      { timestamp: 100, value: 'a1' },
      { timestamp: 100, value: 'a2' },
    ]);
    expect((await store.fetch('a', 0, 1_000)).map((e) => e.value)).toEqual(['a1', 'a2', 'a3']);
    expect(await store.fetch('c', 0, 1_000)).toEqual([]);
    await store.close();
    await storage.close();
  });

  it('drops expired records on put (with a record.dropped event) and hides them from fetch', async () => {
    const { context, events, logged, storage } = setup(dir, layout);
    const drops: string[] = [];
    events.on('record.dropped', (e) => drops.push(`${e.processor}:${e.reason}`));
    const store = Stores.windowStoreBuilder<string, string>({
      name: 'w',
      retentionMs: 1_000,
      windowSizeMs: 100,
      retainDuplicates: true,
    }).build();
    await store.init(context);
    await store.put('k', 'old', 0);
    await store.put('k', 'new', 999);
    expect((await store.fetch('k', 0, 2_000)).map((e) => e.value)).toEqual(['old', 'new']);
    await store.put('k', 'newer', 1_000 + 1);
    expect((await store.fetch('k', 0, 2_000)).map((e) => e.value)).toEqual(['new', 'newer']);
    await store.put('k', 'late', 1);
    expect(drops).toEqual(['w:expired-window']);
    expect(logged.map((l) => l.value?.toString())).toEqual(['old', 'new', 'newer']);
    await store.close();
    await storage.close();
  });

  it('drops expired segments whole and finds live ones again after a reopen', async () => {
    const { context, storage, taskDir } = setup(dir, layout);
    const retention = 2 * 60_000;
    const interval = segmentIntervalMs(retention);
    const builder = Stores.windowStoreBuilder<string, string>({
      name: 'w',
      retentionMs: retention,
      windowSizeMs: 1_000,
      retainDuplicates: true,
    });
    const store = builder.build();
    await store.init(context);
    for (let segment = 0; segment < 5; segment++) await store.put('k', `v${segment}`, segment * interval);
    const stats = await store.stats();
    expect(stats.segments).toBe(3);
    if (layout === 'per-segment') {
      expect(stats.instances).toBe(3);
      expect((await readdir(join(taskDir, 'w'))).sort()).toEqual(['w.120000', 'w.180000', 'w.240000']);
    }
    await store.close();
    await storage.close();

    const again = setup(dir, layout);
    const reopened = builder.build();
    await reopened.init(again.context);
    expect((await reopened.fetch('k', 0, 10 * interval)).map((e) => e.value)).toEqual(['v3', 'v4']);
    expect((await reopened.stats()).segments).toBe(3);
    await reopened.close();
    await again.storage.close();
  });

  it('a key-value store keeps byte order, deletes with tombstones in the changelog, and restores', async () => {
    const { context, logged, storage } = setup(dir, layout);
    const store = Stores.keyValueStoreBuilder<string, string>({ name: 'kv' }).build();
    await store.init(context);
    await store.put('b', '2');
    await store.put('a', '1');
    await store.put('c', '3');
    await store.delete('b');
    expect(await store.range()).toEqual([
      { key: 'a', value: '1' },
      { key: 'c', value: '3' },
    ]);
    expect(await store.range('b', 'c')).toEqual([]);
    expect(await store.range('a', undefined, 1)).toEqual([{ key: 'a', value: '1' }]);
    expect(await store.get('a')).toBe('1');
    expect(logged.map((l) => [l.key.toString(), l.value?.toString() ?? null])).toEqual([
      ['b', '2'],
      ['a', '1'],
      ['c', '3'],
      ['b', null],
    ]);
    await store.wipe();
    expect(await store.range()).toEqual([]);
    await store.restore(logged.map((l) => ({ key: l.key, value: l.value, timestamp: l.timestamp })));
    expect((await store.range()).map((e) => e.key)).toEqual(['a', 'c']);
    await store.close();
    await storage.close();
  });

  it('window changelog records restore into an empty store, skipping expired ones', async () => {
    const { context, logged, storage } = setup(dir, layout);
    const builder = Stores.windowStoreBuilder<string, string>({
      name: 'w',
      retentionMs: 1_000,
      windowSizeMs: 10,
      retainDuplicates: true,
    });
    const store = builder.build();
    await store.init(context);
    await store.put('k', 'a', 10);
    await store.put('k', 'b', 10);
    await store.put('k', 'c', 500);
    await store.wipe();
    expect(await store.fetch('k', 0, 5_000)).toEqual([]);
    await store.beginRestore(1_200);
    await store.restore(logged.map((l) => ({ key: l.key, value: l.value, timestamp: l.timestamp })));
    expect((await store.fetch('k', 0, 5_000)).map((e) => e.value)).toEqual(['c']);
    await store.close();
    await storage.close();
  });
});

describe('changelog topic configs', () => {
  const join = Stores.windowStoreBuilder({
    name: 'j',
    retentionMs: 1_000,
    windowSizeMs: 500,
    retainDuplicates: true,
  });
  const plain = Stores.windowStoreBuilder({
    name: 'w',
    retentionMs: 1_000,
    windowSizeMs: 500,
    retainDuplicates: false,
  });

  it('join stores are delete-only with retention = store retention + additional retention (Kafka Streams default 24 h)', () => {
    expect(join.changelogConfig()).toEqual({
      'cleanup.policy': 'delete',
      'retention.ms': String(1_000 + 86_400_000),
    });
    expect(plain.changelogConfig()['cleanup.policy']).toBe('compact,delete');
  });

  it('follows windowStoreChangelogAdditionalRetentionMs, and leaves retention.ms unset for broker-default', () => {
    const additional = {
      windowStoreChangelogAdditionalRetentionMs: 5,
      windowStoreChangelogRetention: 'window-plus-additional' as const,
    };
    expect(join.changelogConfig(additional)['retention.ms']).toBe('1005');
    expect(
      join.changelogConfig({
        windowStoreChangelogAdditionalRetentionMs: 5,
        windowStoreChangelogRetention: 'broker-default',
      }),
    ).toEqual({ 'cleanup.policy': 'delete' });
  });

  it('a join store stays delete-only even when logging config asks for compaction', () => {
    const b = Stores.windowStoreBuilder({
      name: 'j',
      retentionMs: 1,
      windowSizeMs: 1,
      retainDuplicates: true,
      logging: { config: { 'cleanup.policy': 'compact', 'segment.ms': '1000' } },
    });
    expect(b.changelogConfig()).toMatchObject({ 'cleanup.policy': 'delete', 'segment.ms': '1000' });
  });

  it('key-value changelogs are compacted; bad store names are rejected', () => {
    expect(Stores.keyValueStoreBuilder({ name: 'o' }).changelogConfig()).toEqual({
      'cleanup.policy': 'compact',
    });
    expect(() => Stores.keyValueStoreBuilder({ name: 'a b' })).toThrow(/letters, digits/);
  });
});
