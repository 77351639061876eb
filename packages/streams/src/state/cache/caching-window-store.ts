import type { StateStoreContext } from '../api';
import type { ChangelogEntry, StoreStats, WindowBytesStore, WindowPut } from '../bytes-stores';
import { isExpired, minLiveTimestamp } from '../segments';
import { isTaskStoreContext } from '../store-context';
import { WrappedStore } from '../wrapped-store';
import { cacheBudgetFor, ENTRY_OVERHEAD_BYTES, type CacheBudget, type EvictableCache } from './cache-budget';
import { MinHeap } from './min-heap';

interface Entry {
  readonly id: string;
  readonly key: Buffer;
  readonly timestampMs: number;
  /** Put order: fetches return equal timestamps in it, as the store's sequence numbers do. */
  readonly order: number;
  value: Buffer;
  dirty: boolean;
  /** False once expired or evicted (the heap and the dirty list drop it lazily). */
  live: boolean;
  /** While dirty: the value below, which the previous flush forwarded (null: none). */
  prior: Buffer | null;
}

/**
 * Called for each dirty record when the cache writes back (commit or eviction), after the
 * write: key, window start (the record's timestamp in the store), the latest value and the
 * one below before (Kafka Streams' CacheFlushListener of window stores).
 */
export type WindowFlushListener = (
  key: Buffer,
  timestampMs: number,
  newValue: Buffer,
  oldValue: Buffer | null,
) => Promise<void>;

const sizeOf = (e: Entry) => e.key.length + e.value.length + ENTRY_OVERHEAD_BYTES;

/**
 * The record cache of a window store, between the metered and changelogging layers.
 * It holds every record with a timestamp at or after `coveredFromMs` (and none before),
 * so a fetch of a recent window is answered from memory without a LevelDB call, and it
 * absorbs puts, which reach the changelog and LevelDB in one batch at commit or when the
 * cache must shrink. Evicting drops the oldest timestamps first and raises coveredFromMs
 * past them; a put older than coveredFromMs goes straight to the layer below.
 *
 * Without a task's config (a plain StateStoreContext) or with stateStore.cacheMaxBytes 0
 * it passes everything through.
 */
export class CachingWindowStore
  extends WrappedStore<WindowBytesStore>
  implements WindowBytesStore, EvictableCache
{
  bytes = 0;
  private budget: CacheBudget | null = null;
  private context!: StateStoreContext;
  private readonly byKey = new Map<string, Entry[]>();
  private readonly byTime = new MinHeap<Entry>(
    (a, b) => a.timestampMs < b.timestampMs || (a.timestampMs === b.timestampMs && a.order < b.order),
  );
  private dirty = new Set<Entry>();
  private listener: WindowFlushListener | null = null;
  /** Expired while dirty (forwarding caches only): written back and forwarded, then removed. */
  private expiredDirty: Entry[] = [];
  private coveredFromMs = Number.POSITIVE_INFINITY;
  private streamTimeMs = Number.NEGATIVE_INFINITY;
  private order = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(
    inner: WindowBytesStore,
    private readonly retainDuplicates: boolean,
  ) {
    super(inner);
  }

  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  /** Evicting forwards records: only this store's own task may trigger it (see CacheBudget). */
  get forwards(): boolean {
    return this.listener !== null;
  }

  /**
   * Registers the listener that forwards flushed records downstream (stores that keep one
   * record per key and timestamp); true when the cache is active and will call it, false
   * when writes pass through (the caller forwards itself). Call it after init.
   */
  setFlushListener(listener: WindowFlushListener): boolean {
    if (this.retainDuplicates)
      throw new Error(`window store ${this.name}: a store with duplicates cannot forward`);
    this.listener = listener;
    return this.budget !== null;
  }

  override async init(context: StateStoreContext): Promise<void> {
    await this.inner.init(context);
    this.context = context;
    if (isTaskStoreContext(context) && context.config.stateStore.cacheMaxBytes > 0) {
      this.budget = cacheBudgetFor(context.config);
      this.budget.register(this);
    }
    this.reset();
  }

  async put(key: Buffer, value: Buffer, timestampMs: number): Promise<Buffer | null> {
    if (!this.budget) return this.inner.put(key, value, timestampMs);
    this.throwIfFailed();
    this.advance(timestampMs);
    if (isExpired(timestampMs, this.streamTimeMs, this.retentionMs)) {
      this.context.events.emit('record.dropped', {
        taskId: this.context.taskId,
        processor: this.name,
        reason: 'expired-window',
        count: 1,
      });
      return null;
    }
    if (timestampMs < this.coveredFromMs) {
      // older than what the cache holds: written through, so forwarded at once
      if (!this.listener) return this.inner.put(key, value, timestampMs);
      const [old] = await this.inner.fetch(key, timestampMs, timestampMs);
      const stored = await this.inner.put(key, value, timestampMs);
      if (stored) await this.listener(key, timestampMs, value, old?.value ?? null);
      return stored;
    }
    const id = key.toString('latin1');
    let list = this.byKey.get(id);
    if (!list) this.byKey.set(id, (list = []));
    if (!this.retainDuplicates) {
      const existing = list.find((e) => e.timestampMs === timestampMs);
      if (existing) {
        const delta = value.length - existing.value.length;
        if (!existing.dirty) existing.prior = existing.value;
        existing.value = value;
        this.markDirty(existing);
        this.bytes += delta;
        await this.budget.grew(this, delta);
        return key;
      }
    }
    const entry: Entry = {
      id,
      key,
      timestampMs,
      order: this.order++,
      value,
      dirty: false,
      live: true,
      prior: null,
    };
    let at = list.length;
    while (at > 0 && list[at - 1]!.timestampMs > timestampMs) at--;
    list.splice(at, 0, entry);
    this.byTime.push(entry);
    this.markDirty(entry);
    const size = sizeOf(entry);
    this.bytes += size;
    await this.budget.grew(this, size);
    return key;
  }

  putAll(puts: ReadonlyArray<WindowPut>): Promise<Array<Buffer | null>> {
    // batches come from a cache above this one, which the stack never has
    return this.inner.putAll(puts);
  }

  async fetch(
    key: Buffer,
    fromMs: number,
    toMs: number,
  ): Promise<Array<{ timestamp: number; value: Buffer }>> {
    if (!this.budget) return this.inner.fetch(key, fromMs, toMs);
    this.throwIfFailed();
    const from = Math.max(fromMs, minLiveTimestamp(this.streamTimeMs, this.retentionMs));
    if (from > toMs) return [];
    const inMemory: Array<{ timestamp: number; value: Buffer }> = [];
    const lowest = Math.max(from, this.coveredFromMs);
    for (const e of this.byKey.get(key.toString('latin1')) ?? []) {
      if (e.timestampMs > toMs) break;
      if (e.timestampMs >= lowest) inMemory.push({ timestamp: e.timestampMs, value: e.value });
    }
    if (from >= this.coveredFromMs) return inMemory;
    const onDisk = await this.inner.fetch(key, from, Math.min(toMs, this.coveredFromMs - 1));
    return inMemory.length ? onDisk.concat(inMemory) : onDisk;
  }

  async observeStreamTime(streamTimeMs: number): Promise<void> {
    if (this.budget) this.advance(streamTimeMs);
    await this.inner.observeStreamTime(streamTimeMs);
  }

  timestampUpperBound(): number {
    return Math.max(this.inner.timestampUpperBound(), this.streamTimeMs + 1);
  }

  streamTime(): number {
    return Math.max(this.inner.streamTime(), this.streamTimeMs);
  }

  override async flush(): Promise<void> {
    if (this.budget) await this.writeBack();
    await this.inner.flush();
  }

  async evict(targetBytes: number): Promise<void> {
    try {
      await this.writeBack();
    } catch (e) {
      this.failure ??= e instanceof Error ? e : new Error(String(e));
      return;
    }
    let freed = 0;
    while (this.bytes - freed > targetBytes && this.byTime.size) {
      const ts = this.byTime.peek()!.timestampMs;
      const group: Entry[] = [];
      while (this.byTime.size && this.byTime.peek()!.timestampMs === ts) group.push(this.byTime.pop()!);
      if (group.some((e) => e.live && e.dirty)) {
        // written while the batch was in flight: it goes with the next one
        for (const e of group) this.byTime.push(e);
        break;
      }
      for (const e of group) if (e.live) freed += this.remove(e);
      this.coveredFromMs = Math.max(this.coveredFromMs, ts + 1);
    }
    this.release(freed);
  }

  override async close(): Promise<void> {
    this.budget?.unregister(this);
    this.clear();
    await this.inner.close();
  }

  override async restore(records: ReadonlyArray<ChangelogEntry>): Promise<void> {
    await this.inner.restore(records);
    this.reset();
  }

  override async beginRestore(latestTimestampMs: number | null): Promise<void> {
    await this.inner.beginRestore(latestTimestampMs);
    this.reset();
  }

  override async wipe(): Promise<void> {
    await this.inner.wipe();
    this.reset();
  }

  override async stats(): Promise<StoreStats> {
    const s = await this.inner.stats();
    return { ...s, cacheBytes: (s.cacheBytes ?? 0) + this.bytes };
  }

  /** Local state changed under the cache (open, restore, wipe): start empty, covering only what is newer. */
  private reset(): void {
    this.clear();
    this.coveredFromMs = this.inner.timestampUpperBound();
    this.streamTimeMs = this.inner.streamTime();
  }

  private clear(): void {
    this.release(this.bytes);
    this.byKey.clear();
    this.byTime.clear();
    this.dirty.clear();
    this.expiredDirty = [];
  }

  private release(bytes: number): void {
    if (!bytes) return;
    this.bytes -= bytes;
    this.budget?.shrank(bytes);
  }

  private markDirty(e: Entry): void {
    e.dirty = true;
    // flushes forward in the order of the latest writes, as Kafka Streams' dirty-key list
    this.dirty.delete(e);
    this.dirty.add(e);
  }

  /** Expired records leave the cache with stream time, written or not: no fetch can see them again. */
  private advance(timestampMs: number): void {
    if (timestampMs <= this.streamTimeMs) return;
    this.streamTimeMs = timestampMs;
    const minLive = minLiveTimestamp(timestampMs, this.retentionMs);
    let freed = 0;
    while (this.byTime.size && this.byTime.peek()!.timestampMs < minLive) {
      const e = this.byTime.pop()!;
      if (!e.live) continue;
      // a forwarding cache still owes downstream this update (a window's last one, say):
      // it is forwarded at the next write-back, as Kafka Streams' cache does, then dropped
      if (e.dirty && this.listener) this.expiredDirty.push(e);
      else freed += this.remove(e);
    }
    this.release(freed);
  }

  private remove(e: Entry): number {
    e.live = false;
    const list = this.byKey.get(e.id);
    if (list) {
      const at = list.indexOf(e);
      if (at >= 0) list.splice(at, 1);
      if (!list.length) this.byKey.delete(e.id);
    }
    return sizeOf(e);
  }

  /** Writes the dirty records in put order, one batch at a time. */
  private writeBack(): Promise<void> {
    const run = this.writing.then(async () => {
      const batch = [...this.dirty].filter((e) => e.live && e.dirty);
      this.dirty.clear();
      if (!batch.length) return;
      const priors = batch.map((e) => e.prior);
      for (const e of batch) {
        e.dirty = false;
        e.prior = e.value;
      }
      try {
        await this.inner.putAll(
          batch.map((e) => ({ key: e.key, value: e.value, timestampMs: e.timestampMs })),
        );
      } catch (error) {
        batch.forEach((e, i) => {
          e.prior = priors[i]!;
          if (e.live) this.markDirty(e);
        });
        throw error;
      }
      const listener = this.listener;
      if (listener) {
        for (let i = 0; i < batch.length; i++) {
          const e = batch[i]!;
          await listener(e.key, e.timestampMs, e.value, priors[i]!);
        }
      }
      if (this.expiredDirty.length) {
        let freed = 0;
        this.expiredDirty = this.expiredDirty.filter((e) => {
          if (e.dirty || !e.live) return e.live;
          freed += this.remove(e);
          return false;
        });
        this.release(freed);
      }
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
