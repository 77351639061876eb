import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/schema';
import { StreamsEvents } from '../../../src/observability/events';
import { createLayout } from '../../../src/state/leveldb/layouts';
import { defaultSerde } from '../../../src/state/serde';
import type { TaskStoreContext } from '../../../src/state/store-context';
import { Stores } from '../../../src/state/stores';

function context(dir: string, cacheMaxBytes: number): TaskStoreContext {
  const config = parseConfig({
    applicationId: 'app',
    bootstrapServers: 'x:9092',
    stateDir: dir,
    stateStore: { cacheMaxBytes },
  });
  const taskDir = join(dir, 'app', '0_0');
  return {
    applicationId: 'app',
    taskId: { subtopology: 0, partition: 0 },
    taskDir,
    events: new StreamsEvents(),
    changelog: { append: () => undefined },
    config,
    layout: createLayout(taskDir, config),
    defaultKeySerde: defaultSerde(),
    defaultValueSerde: defaultSerde(),
  };
}

describe('record caches that forward (aggregation stores)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streamtune-fwd-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a key-value cache forwards the latest value per key at flush, with the value the previous flush left', async () => {
    const ctx = context(dir, 1 << 20);
    const store = Stores.keyValueStoreBuilder<string, string>({ name: 'kv' }).build();
    await store.init(ctx);
    const forwarded: string[] = [];
    expect(store.setFlushListener(async (k, n, o) => void forwarded.push(`${k}:${o}->${n}`))).toBe(true);
    await store.put('a', '1');
    await store.put('a', '2');
    await store.put('b', '1');
    await store.flush();
    await store.put('a', '3');
    await store.delete('b');
    await store.flush();
    expect(forwarded).toEqual(['a:null->2', 'b:null->1', 'a:2->3', 'b:1->null']);
    await store.close();
    await ctx.layout.close();
  });

  it('without a cache (cacheMaxBytes 0) it says so: the caller forwards every update', async () => {
    const ctx = context(dir, 0);
    const store = Stores.keyValueStoreBuilder<string, string>({ name: 'kv' }).build();
    await store.init(ctx);
    expect(store.setFlushListener(async () => undefined)).toBe(false);
    await store.close();
    await ctx.layout.close();
  });

  it('a window cache forwards a dirty window that expired before the flush, then drops it', async () => {
    const ctx = context(dir, 1 << 20);
    const store = Stores.windowStoreBuilder<string, string>({
      name: 'w',
      retentionMs: 1_000,
      windowSizeMs: 1_000,
      retainDuplicates: false,
    }).build();
    await store.init(ctx);
    const forwarded: string[] = [];
    expect(store.setFlushListener(async (k, t, n, o) => void forwarded.push(`${k}@${t}:${o}->${n}`))).toBe(
      true,
    );
    await store.put('a', 'x', 0);
    await store.put('a', 'y', 0);
    await store.put('a', 'z', 1_500); // stream time 1500: window 0 has expired, still unflushed
    expect(await store.fetch('a', 0, 0)).toEqual([]);
    await store.flush();
    expect(forwarded).toEqual(['a@0:null->y', 'a@1500:null->z']);
    await store.put('a', 'w', 1_500);
    await store.flush();
    expect(forwarded.slice(2)).toEqual(['a@1500:z->w']);
    await store.close();
    await ctx.layout.close();
  });
});
