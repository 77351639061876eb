import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema';
import { StreamsEvents, type StreamsEventMap } from '../../src/observability/events';
import type { WindowStore } from '../../src/state/api';
import { createTaskState, taskDirectory } from '../../src/state-manager/create-task-state';
import { StateMemoryBudgetError } from '../../src/state/footprint';
import { Stores } from '../../src/state/stores';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(stateStore: Record<string, unknown> = {}) {
  const stateDir = mkdtempSync(join(tmpdir(), 'task-state-'));
  dirs.push(stateDir);
  const config = parseConfig({ applicationId: 'app', bootstrapServers: 'x:1', stateDir, stateStore });
  const events = new StreamsEvents();
  const builders = [
    Stores.windowStoreBuilder<string, string>({
      name: 'w',
      retentionMs: 600_000,
      windowSizeMs: 1,
      retainDuplicates: true,
    }),
    Stores.keyValueStoreBuilder<string, string>({ name: 'kv' }),
  ];
  const make = (partition = 0) =>
    createTaskState({
      config,
      taskId: { subtopology: 0, partition },
      storeBuilders: builders,
      events,
      changelog: null,
      changelogReader: null,
    });
  return { config, events, make };
}

describe('createTaskState', () => {
  it('keeps one directory per task and a checkpoint file only after a clean close', async () => {
    const { config, make } = setup();
    const state = make(3);
    await state.open();
    const dir = taskDirectory({ config, taskId: { subtopology: 0, partition: 3 } });
    expect(dir).toBe(join(config.stateDir, 'app', '0_3'));
    await state.checkpoint(new Map([['w', '41']]));
    expect(JSON.parse(readFileSync(join(dir, '.checkpoint'), 'utf8'))).toEqual({
      version: 1,
      offsets: { w: '41' },
    });
    await state.close(true);
    expect(existsSync(join(dir, '.checkpoint'))).toBe(true);

    const again = make(3);
    await again.open();
    expect(existsSync(join(dir, '.checkpoint'))).toBe(false); // a crash from here on forces a restore
    await again.close(false);
    expect(existsSync(join(dir, '.checkpoint'))).toBe(false);
  });

  it('keeps local state across a reopen when there is no changelog to restore from', async () => {
    const { make } = setup();
    const state = make();
    await state.open();
    await (state.stores.get('w') as WindowStore<string, string>).put('k', 'v', 5);
    await state.close(true);
    const again = make();
    await again.open();
    expect(await (again.stores.get('w') as WindowStore<string, string>).fetch('k', 0, 10)).toEqual([
      { timestamp: 5, value: 'v' },
    ]);
    await again.close(true);
  });

  it.each([
    ['per-segment', 2, 1],
    ['per-task', 0, 1],
  ] as const)(
    'samples store.stats and store.footprint (%s)',
    async (layout, windowInstances, totalInstances) => {
      const { events, make } = setup({ layout });
      const stats: Array<StreamsEventMap['store.stats']> = [];
      const footprints: Array<StreamsEventMap['store.footprint']> = [];
      events.on('store.stats', (e) => stats.push(e));
      events.on('store.footprint', (e) => footprints.push(e));
      const state = make();
      await state.open();
      const w = state.stores.get('w') as WindowStore<string, string>;
      await w.put('k', 'x'.repeat(1000), 1);
      await w.put('k', 'y', 400_000); // a second segment (interval 300 s)
      await state.flush(); // the record cache writes back, as at a commit
      await (state as unknown as { sampleStats(): Promise<void> }).sampleStats();
      const byStore = new Map(stats.map((s) => [s.store, s]));
      expect(byStore.get('w')).toMatchObject({ layout, segments: 2, instances: windowInstances });
      expect(byStore.get('kv')).toMatchObject({
        layout,
        segments: 0,
        instances: layout === 'per-segment' ? 1 : 0,
      });
      const memoryHolder = layout === 'per-task' ? byStore.get('leveldb')! : byStore.get('w')!;
      expect(memoryHolder.approximateMemoryBytes).toBeGreaterThan(0);
      expect(footprints.at(-1)).toMatchObject({ layout, instances: windowInstances + totalInstances });
      // the written records stay cached (clean) after the write-back, and count
      expect(byStore.get('w')!.cacheBytes).toBeGreaterThan(1000);
      expect(footprints.at(-1)!.cacheBytes).toBeGreaterThan(1000);
      await state.close(true);
    },
  );

  it('fails to open a task whose layout would pass stateStore.memoryBudgetBytes, with the numbers', async () => {
    // per-segment: 1 window store × 3 segments + 1 kv store = 4 instances of ~16 MiB per task
    const { make } = setup({ memoryBudgetBytes: 100 * 1024 * 1024, cacheMaxBytes: 0 });
    const first = make(0);
    await first.open();
    const second = make(1);
    await expect(second.open()).rejects.toThrow(StateMemoryBudgetError);
    await expect(make(2).open()).rejects.toThrow(
      /cannot open task .*0_2: state stores need .*8 LevelDB instance/,
    );
    await first.close(true);
    const retry = make(1);
    await retry.open();
    await retry.close(true);
  });
});
