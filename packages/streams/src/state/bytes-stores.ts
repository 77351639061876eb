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
  /** What the store's record cache holds (stateStore.cacheMaxBytes), outside LevelDB. */
  cacheBytes?: number;
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

/** One put of a batch written to a window store. */
export interface WindowPut {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly timestampMs: number;
}

/** One write of a batch to a key-value store; `value` null deletes. */
export interface KeyValueWrite {
  readonly key: Buffer;
  readonly value: Buffer | null;
}

export interface WindowBytesStore extends ManagedStore {
  readonly retentionMs: number;
  /** Returns the key as stored (and logged), or null when the record had already expired. */
  put(key: Buffer, value: Buffer, timestampMs: number): Promise<Buffer | null>;
  /** Puts in order, in as few LevelDB writes as the segments allow; the stored keys as put() returns them. */
  putAll(puts: ReadonlyArray<WindowPut>): Promise<Array<Buffer | null>>;
  /** No stored record has a timestamp at or above this (-Infinity when the store is empty). */
  timestampUpperBound(): number;
  /** The largest timestamp the store has seen (put, restore or observeStreamTime). */
  streamTime(): number;
  fetch(key: Buffer, fromMs: number, toMs: number): Promise<Array<{ timestamp: number; value: Buffer }>>;
  observeStreamTime(streamTimeMs: number): Promise<void>;
}

export interface KeyValueBytesStore extends ManagedStore {
  get(key: Buffer): Promise<Buffer | undefined>;
  put(key: Buffer, value: Buffer): Promise<void>;
  delete(key: Buffer): Promise<void>;
  range(from?: Buffer, to?: Buffer, limit?: number): Promise<Array<[Buffer, Buffer]>>;
  /** Puts and deletes in order, in one LevelDB write. */
  writeAll(writes: ReadonlyArray<KeyValueWrite>): Promise<void>;
  /** Whether the store holds no record at all. */
  isEmpty(): Promise<boolean>;
}
