import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/schema';
import { StreamsEvents } from '../../../src/observability/events';
import type { ChangelogSink, KeyValueStore, WindowStore } from '../../../src/state/api';
import { createLayout } from '../../../src/state/leveldb/layouts';
import { defaultSerde } from '../../../src/state/serde';
import type { TaskStoreContext } from '../../../src/state/store-context';
import { Stores } from '../../../src/state/stores';
import { cacheBudgetFor } from '../../../src/state/cache/cache-budget';

/** A seeded generator, so a failing sequence can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s % n;
  };
}

async function open(dir: string, name: string, cacheMaxBytes: number) {
  const config = parseConfig({
    applicationId: 'app',
    bootstrapServers: 'x:9092',
    stateDir: join(dir, name),
    stateStore: { cacheMaxBytes },
  });
  const logged: Array<{ key: string; value: string | null }> = [];
  const changelog: ChangelogSink = {
    append: (_store, key, value) =>
      logged.push({ key: key.toString('hex'), value: value?.toString() ?? null }),
  };
  const taskDir = join(dir, name, 'app', '0_0');
  const layout = createLayout(taskDir, config);
  const context: TaskStoreContext = {
    applicationId: 'app',
    taskId: { subtopology: 0, partition: 0 },
    taskDir,
    events: new StreamsEvents(),
    changelog,
    config,
    layout,
    defaultKeySerde: defaultSerde(),
    defaultValueSerde: defaultSerde(),
  };
  return { config, context, layout, logged };
}

describe('record caches', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streamtune-cache-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([true, false])(
    'a cached window store answers every fetch as the uncached one does, through evictions and flushes (retainDuplicates %s)',
    async (retainDuplicates) => {
      const builder = Stores.windowStoreBuilder<string, string>({
        name: 'w',
        retentionMs: 2_000,
        windowSizeMs: 500,
        retainDuplicates,
      });
      // a few KiB of cache: the sequence below evicts many times
      const cached = await open(dir, 'cached', 6_000);
      const plain = await open(dir, 'plain', 0);
      const a = builder.build();
      const b = builder.build();
      await a.init(cached.context);
      await b.init(plain.context);
      const next = random(7);
      let time = 0;
      for (let i = 0; i < 3_000; i++) {
        const key = `k${next(12)}`;
        const op = next(10);
        if (op < 5) {
          // mostly in order, sometimes late
          time += next(4);
          const ts = Math.max(0, time - (next(8) === 0 ? next(2_500) : 0));
          await a.put(key, `v${i}`, ts);
          await b.put(key, `v${i}`, ts);
        } else if (op < 9) {
          const to = time + next(100);
          const from = to - next(1_500);
          expect(await a.fetch(key, from, to), `fetch ${key} [${from}, ${to}] at step ${i}`).toEqual(
            await b.fetch(key, from, to),
          );
        } else {
          await a.flush();
        }
      }
      expect(cacheBudgetFor(cached.config).usedBytes).toBeLessThanOrEqual(6_000);
      await a.flush();
      // the changelog gets a subset of what the uncached store logs: no record expired before
      // its write-back, and of a (key, timestamp) overwritten in between only the last value
      const plainValues = new Set(plain.logged.map((e) => e.value));
      expect(cached.logged.filter((e) => !plainValues.has(e.value))).toEqual([]);
      expect(cached.logged.length).toBeGreaterThan(plain.logged.length / 2);
      await a.close();
      await b.close();
      await cached.layout.close();
      await plain.layout.close();
    },
    60_000,
  );

  it('writes a window store back only at flush, in put order, and serves reads from memory meanwhile', async () => {
    const { context, layout, logged } = await open(dir, 'one', 1 << 20);
    const store = Stores.windowStoreBuilder<string, string>({
      name: 'w',
      retentionMs: 10_000,
      windowSizeMs: 1_000,
      retainDuplicates: true,
    }).build() as WindowStore<string, string>;
    await store.init(context);
    await store.put('k', 'a', 10);
    await store.put('k', 'b', 10);
    await store.put('k', 'c', 5);
    expect((await store.fetch('k', 0, 100)).map((e) => e.value)).toEqual(['c', 'a', 'b']);
    expect(logged).toEqual([]);
    await store.flush();
    expect(logged.map((e) => e.value)).toEqual(['a', 'b', 'c']);
    await store.flush();
    expect(logged).toHaveLength(3);
    await store.close();
    await layout.close();
  });

  it('a cached key-value store answers get and range as the uncached one does, through evictions', async () => {
    const builder = Stores.keyValueStoreBuilder<string, string>({ name: 'kv' });
    const cached = await open(dir, 'cached', 3_000);
    const plain = await open(dir, 'plain', 0);
    const a = builder.build() as KeyValueStore<string, string>;
    const b = builder.build() as KeyValueStore<string, string>;
    await a.init(cached.context);
    await b.init(plain.context);
    const next = random(11);
    for (let i = 0; i < 3_000; i++) {
      const key = `k${String(next(60)).padStart(2, '0')}`;
      const op = next(12);
      if (op < 4) {
        await a.put(key, `v${i}`);
        await b.put(key, `v${i}`);
      } else if (op < 7) {
        await a.delete(key);
        await b.delete(key);
      } else if (op < 9) {
        expect(await a.get(key), `get ${key} at step ${i}`).toEqual(await b.get(key));
      } else if (op < 11) {
        const to = `k${String(next(60)).padStart(2, '0')}`;
        const limit = next(3) === 0 ? 1 + next(5) : undefined;
        expect(await a.range(key, to, limit), `range [${key}, ${to}) limit ${limit} at step ${i}`).toEqual(
          await b.range(key, to, limit),
        );
      } else {
        await a.flush();
      }
    }
    expect(cacheBudgetFor(cached.config).usedBytes).toBeLessThanOrEqual(3_000);
    await a.flush();
    expect(await a.range()).toEqual(await b.range());
    await a.close();
    await b.close();
    await cached.layout.close();
    await plain.layout.close();
  }, 60_000);

  it('a key-value store opened empty writes nothing for a key put and deleted between commits', async () => {
    const { context, layout, logged } = await open(dir, 'one', 1 << 20);
    const store = Stores.keyValueStoreBuilder<string, string>({ name: 'kv' }).build();
    await store.init(context);
    await store.put('a', '1');
    await store.put('b', '2');
    await store.delete('a');
    await store.delete('never-there');
    await store.flush();
    expect(logged.map((e) => e.value)).toEqual(['2']);
    await store.delete('b');
    await store.flush();
    expect(logged.map((e) => e.value)).toEqual(['2', null]);
    expect(await store.range()).toEqual([]);
    await store.close();
    await layout.close();
  });
});
