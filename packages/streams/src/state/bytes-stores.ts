import type { StateStore } from './api';

/** One changelog record as stores write and restore it. */
export interface ChangelogEntry {
  readonly key: Buffer;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

export interface StoreStats {
  layout: string;
  instances: number;
  segments: number;
  diskBytes: number;
  approximateMemoryBytes: number;
}

/**
 * What every layer of a persistent store offers besides its typed API, so the task's
 * state (restore, stats) can reach the bytes without knowing the stack.
 */
export interface ManagedStore extends StateStore {
  /** Before a restore: the newest changelog timestamp, so expired records are skipped. */
  beginRestore(latestTimestampMs: number | null): Promise<void>;
  /** Writes changelog records into local state, never back to the changelog. */
  restore(records: ReadonlyArray<ChangelogEntry>): Promise<void>;
  /** Removes all local state (before restoring from the beginning). */
  wipe(): Promise<void>;
  stats(): Promise<StoreStats>;
}

export function isManagedStore(store: StateStore): store is ManagedStore {
  const s = store as Partial<ManagedStore>;
  return typeof s.restore === 'function' && typeof s.wipe === 'function' && typeof s.stats === 'function';
}

export interface WindowBytesStore extends ManagedStore {
  readonly retentionMs: number;
  /** Returns the key as stored (and logged), or null when the record had already expired. */
  put(key: Buffer, value: Buffer, timestampMs: number): Promise<Buffer | null>;
  fetch(key: Buffer, fromMs: number, toMs: number): Promise<Array<{ timestamp: number; value: Buffer }>>;
  observeStreamTime(streamTimeMs: number): Promise<void>;
}

export interface KeyValueBytesStore extends ManagedStore {
  get(key: Buffer): Promise<Buffer | undefined>;
  put(key: Buffer, value: Buffer): Promise<void>;
  delete(key: Buffer): Promise<void>;
  range(from?: Buffer, to?: Buffer, limit?: number): Promise<Array<[Buffer, Buffer]>>;
}
