import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointFile } from '../restore/checkpoint-file';
import { restoreStore } from '../restore/store-restorer';
import { taskIdToString } from '../types/index';
import type { StateStore } from '../state/api';
import { isManagedStore, type ManagedStore } from '../state/bytes-stores';
import type { StorageLayout } from '../state/leveldb/layout';
import { createLayout } from '../state/leveldb/layouts';
import { governorFor } from '../state/leveldb/memory-governor';
import { cacheBudgetFor } from '../state/cache/cache-budget';
import type { Serde } from '../serdes/serde';
import { defaultSerde } from '../state/serde';
import { sampleStoreStats, startStatsSampler } from '../state/stats-sampler';
import type { TaskStoreContext } from '../state/store-context';
import { changelogTopicName } from '../topology/topic-names';
import { WindowStoreBuilder } from '../state/stores';
import { layoutInstances } from '../state/footprint';
import { maxLiveSegments } from '../state/segments';
import type { TaskState, TaskStateOptions } from './task-state';

export interface TaskStateExtras {
  /** Where restore progress lines go; console.info by default. */
  log?: (line: string) => void;
}

/** `<stateDir>/<applicationId>/<task>`: one directory per task. */
export function taskDirectory(options: Pick<TaskStateOptions, 'config' | 'taskId'>): string {
  return join(options.config.stateDir, options.config.applicationId, taskIdToString(options.taskId));
}

/**
 * The TaskState the runtime and the TopologyTestDriver use: opens the task's stores on
 * the configured layout, restores logging stores from their changelogs (from the
 * checkpoint when local state is intact, else from the beginning after wiping), keeps
 * checkpoints, and samples store stats every storeStatsIntervalMs.
 */
export function createTaskState(options: TaskStateOptions, extras: TaskStateExtras = {}): TaskState {
  return new LevelDbTaskState(options, extras);
}

class LevelDbTaskState implements TaskState {
  private readonly storeMap = new Map<string, StateStore>();
  private readonly taskDir: string;
  private readonly checkpointFile: CheckpointFile;
  private layout: StorageLayout | null = null;
  private offsets = new Map<string, string>();
  private stopSampler: (() => void) | null = null;
  private readonly log: (line: string) => void;

  constructor(
    private readonly options: TaskStateOptions,
    extras: TaskStateExtras,
  ) {
    this.taskDir = taskDirectory(options);
    this.checkpointFile = new CheckpointFile(this.taskDir);
    this.log = extras.log ?? ((line) => console.info(line));
    const names = new Set<string>();
    for (const builder of options.storeBuilders) {
      if (names.has(builder.name))
        throw new Error(`task ${taskIdToString(options.taskId)}: two stores named "${builder.name}"`);
      names.add(builder.name);
    }
  }

  get stores(): ReadonlyMap<string, StateStore> {
    return this.storeMap;
  }

  private managed(): ManagedStore[] {
    return [...this.storeMap.values()].filter(isManagedStore);
  }

  async open(): Promise<void> {
    const { config, taskId, events } = this.options;
    await mkdir(this.taskDir, { recursive: true });
    const governor = governorFor(config);
    governor.registerTask(this.taskDir, this.expectedInstances());
    const checkpoint = await this.checkpointFile.read();
    await this.checkpointFile.delete();
    const layout = createLayout(this.taskDir, config);
    this.layout = layout;
    const context: TaskStoreContext = {
      applicationId: config.applicationId,
      taskId,
      taskDir: this.taskDir,
      events,
      changelog: this.options.changelog,
      config,
      layout,
      defaultKeySerde: (config.defaultKeySerde as Serde<unknown> | undefined) ?? defaultSerde(),
      defaultValueSerde: (config.defaultValueSerde as Serde<unknown> | undefined) ?? defaultSerde(),
    };
    try {
      for (const builder of this.options.storeBuilders) {
        const store = builder.build();
        this.storeMap.set(builder.name, store);
        await store.init(context);
      }
      for (const builder of this.options.storeBuilders) {
        const store = this.storeMap.get(builder.name)!;
        if (builder.loggingEnabled && isManagedStore(store))
          await this.restore(store, checkpoint.get(builder.name));
      }
    } catch (error) {
      await this.closeStores();
      governor.unregisterTask(this.taskDir);
      throw error;
    }
    const sample = () =>
      sampleStoreStats(taskId, this.managed(), layout, governor, cacheBudgetFor(config), events);
    this.stopSampler = startStatsSampler(config.storeStatsIntervalMs, sample);
  }

  /** The LevelDB instances this task's stores take under the layout (at most). */
  private expectedInstances(): number {
    const windows = this.options.storeBuilders.filter((b) => b instanceof WindowStoreBuilder);
    const shape = {
      tasks: 1,
      stores: windows.length,
      keyValueStores: this.options.storeBuilders.length - windows.length,
      segmentsPerStore: Math.max(1, ...windows.map((b) => maxLiveSegments(b.retentionMs))),
    };
    return layoutInstances(this.options.config.stateStore.layout, shape);
  }

  private async restore(store: ManagedStore, checkpointed: string | undefined): Promise<void> {
    const reader = this.options.changelogReader;
    if (!reader) return; // no changelog to read (TopologyTestDriver): local state is all there is
    const { config, taskId, events } = this.options;
    const topic = changelogTopicName(config.applicationId, store.name);
    const { partition } = taskId;
    const { low, high } = await reader.offsets(topic, partition);
    const lowOffset = BigInt(low);
    let from: bigint;
    if (
      checkpointed !== undefined &&
      BigInt(checkpointed) + 1n >= lowOffset &&
      BigInt(checkpointed) < BigInt(high)
    ) {
      from = BigInt(checkpointed) + 1n;
    } else {
      // no checkpoint (crash, new or deleted state) or one the changelog cannot continue: start over
      await store.wipe();
      from = lowOffset;
    }
    await restoreStore({
      store,
      topic,
      partition,
      from,
      to: BigInt(high),
      taskId,
      events,
      reader,
      log: this.log,
    });
    if (BigInt(high) > 0n) this.offsets.set(store.name, String(BigInt(high) - 1n));
  }

  async flush(): Promise<void> {
    for (const store of this.storeMap.values()) await store.flush();
  }

  async checkpoint(changelogOffsets: ReadonlyMap<string, string>): Promise<void> {
    for (const [store, offset] of changelogOffsets) this.offsets.set(store, offset);
    await this.checkpointFile.write(this.offsets);
  }

  async observeStreamTime(streamTimeMs: number): Promise<void> {
    for (const store of this.storeMap.values()) {
      const s = store as Partial<{ observeStreamTime(t: number): Promise<void> }>;
      if (typeof s.observeStreamTime === 'function') await s.observeStreamTime(streamTimeMs);
    }
  }

  /** One stats sample now (the timer does this every storeStatsIntervalMs). */
  async sampleStats(): Promise<void> {
    if (!this.layout) return;
    const { config, taskId, events } = this.options;
    await sampleStoreStats(
      taskId,
      this.managed(),
      this.layout,
      governorFor(config),
      cacheBudgetFor(config),
      events,
    );
  }

  async close(clean: boolean): Promise<void> {
    this.stopSampler?.();
    this.stopSampler = null;
    if (clean) await this.flush();
    try {
      await this.closeStores();
    } finally {
      governorFor(this.options.config).unregisterTask(this.taskDir);
    }
    if (clean) await this.checkpointFile.write(this.offsets);
  }

  private async closeStores(): Promise<void> {
    const errors: unknown[] = [];
    for (const store of this.storeMap.values()) await store.close().catch((e: unknown) => errors.push(e));
    this.storeMap.clear();
    await this.layout?.close().catch((e: unknown) => errors.push(e));
    this.layout = null;
    if (errors.length) throw errors[0];
  }
}
