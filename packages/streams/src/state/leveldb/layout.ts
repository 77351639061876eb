import type { Partition } from './partition';

export interface LayoutStoreStats {
  /** LevelDB instances that belong to this store alone (0 when it shares the task's instance). */
  instances: number;
  diskBytes: number;
  approximateMemoryBytes: number;
}

/**
 * Where a task's stores keep their bytes. Stores ask for partitions; the layout decides
 * whether a partition is a LevelDB instance of its own (per-segment) or a key range of
 * the task's one instance (per-task).
 */
export interface StorageLayout {
  readonly kind: 'per-segment' | 'per-task';
  windowPartition(store: string, segmentId: number, intervalMs: number): Promise<Partition>;
  keyValuePartition(store: string): Promise<Partition>;
  /** Segment ids a window store has on disk (after a restart), ascending. */
  existingSegments(store: string, intervalMs: number): Promise<number[]>;
  /** Drops expired segments whole: close + remove the directory, or clear the key range. */
  dropSegments(store: string, segmentIds: ReadonlyArray<number>, intervalMs: number): Promise<void>;
  /** Removes all of a store's local state (before a restore from the beginning). */
  wipeStore(store: string): Promise<void>;
  storeStats(store: string): Promise<LayoutStoreStats>;
  /** The task-wide instance of per-task, reported once rather than per store. */
  sharedStats(): Promise<LayoutStoreStats | null>;
  closeStore(store: string): Promise<void>;
  close(): Promise<void>;
}
