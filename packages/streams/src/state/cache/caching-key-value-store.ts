import type { StateStoreContext } from '../api';
import type { ChangelogEntry, KeyValueBytesStore, KeyValueWrite, StoreStats } from '../bytes-stores';
import { isTaskStoreContext } from '../store-context';
import { WrappedStore } from '../wrapped-store';
import { cacheBudgetFor, ENTRY_OVERHEAD_BYTES, type CacheBudget, type EvictableCache } from './cache-budget';

interface Entry {
  readonly key: Buffer;
  /** null: deleted (a tombstone to write, or a key known to be absent). */
  value: Buffer | null;
  dirty: boolean;
  /** Whether the store below may hold the key: a delete of a key it cannot hold writes nothing. */
  below: boolean;
  /** While dirty: the value below (what the last flush forwarded); undefined: not known, read at flush. */
  prior?: Buffer | null | undefined;
}

/**
 * Called for each dirty key when the cache writes back (commit or eviction), after the
 * write: the latest value and the one the previous flush left below (Kafka Streams'
 * CacheFlushListener); consecutive updates of a key in between are forwarded once.
 */
export type KeyValueFlushListener = (
  key: Buffer,
  newValue: Buffer | null,
  oldValue: Buffer | null,
) => Promise<void>;

const sizeOf = (e: Entry) => e.key.length + (e.value?.length ?? 0) + ENTRY_OVERHEAD_BYTES;

/**
 * The record cache of a key-value store, between the metered and changelogging layers
 * (Kafka Streams' CachingKeyValueStore without forwarding): reads are served from memory
 * when the key is cached, writes wait in memory and reach the changelog and LevelDB in
 * one batch at commit or eviction, least recently written first out. While nothing has
 * been evicted from a store that was empty when opened, the cache knows every key, so a
 * miss needs no LevelDB read and a delete of an absent key writes nothing.
 *
 * Without a task's config (a plain StateStoreContext) or with stateStore.cacheMaxBytes 0
 * it passes everything through.
 */
export class CachingKeyValueStore
  extends WrappedStore<KeyValueBytesStore>
  implements KeyValueBytesStore, EvictableCache
{
  bytes = 0;
  private budget: CacheBudget | null = null;
  private readonly entries = new Map<string, Entry>();
  private readonly dirty = new Set<Entry>();
  /** The cache holds every key of the store. */
  private complete = false;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private listener: KeyValueFlushListener | null = null;

  /** Evicting forwards records: only this store's own task may trigger it (see CacheBudget). */
  get forwards(): boolean {
    return this.listener !== null;
  }

  /**
   * Registers the listener that forwards flushed records downstream; true when the cache
   * is active and will call it, false when writes pass through (the caller forwards itself).
   * Call it after init.
   */
  setFlushListener(listener: KeyValueFlushListener): boolean {
    this.listener = listener;
    return this.budget !== null;
  }

  override async init(context: StateStoreContext): Promise<void> {
    await this.inner.init(context);
    if (isTaskStoreContext(context) && context.config.stateStore.cacheMaxBytes > 0) {
      this.budget = cacheBudgetFor(context.config);
      this.budget.register(this);
    }
    await this.reset();
  }

  async get(key: Buffer): Promise<Buffer | undefined> {
    if (!this.budget) return this.inner.get(key);
    this.throwIfFailed();
    const id = key.toString('latin1');
    const cached = this.entries.get(id);
    if (cached) return cached.value ?? undefined;
    if (this.complete) return undefined;
    const value = await this.inner.get(key);
    if (!this.entries.has(id))
      await this.insert(id, { key, value: value ?? null, dirty: false, below: value !== undefined });
    return value;
  }

  put(key: Buffer, value: Buffer): Promise<void> {
    if (!this.budget) return this.inner.put(key, value);
    return this.write(key, value);
  }

  delete(key: Buffer): Promise<void> {
    if (!this.budget) return this.inner.delete(key);
    const id = key.toString('latin1');
    const cached = this.entries.get(id);
    if (!cached && this.complete) return Promise.resolve();
    if (cached && !cached.below) {
      // never written below: forgetting it is the whole delete
      this.entries.delete(id);
      this.dirty.delete(cached);
      this.release(sizeOf(cached));
      return Promise.resolve();
    }
    return this.write(key, null);
  }

  async range(from?: Buffer, to?: Buffer, limit?: number): Promise<Array<[Buffer, Buffer]>> {
    if (!this.budget) return this.inner.range(from, to, limit);
    this.throwIfFailed();
    const cached = [...this.entries.values()]
      .filter((e) => (!from || e.key.compare(from) >= 0) && (!to || e.key.compare(to) < 0))
      .sort((a, b) => a.key.compare(b.key));
    const out: Array<[Buffer, Buffer]> = [];
    const max = limit ?? Number.POSITIVE_INFINITY;
    if (this.complete) {
      for (const e of cached) {
        if (out.length >= max) break;
        if (e.value) out.push([e.key, e.value]);
      }
      return out;
    }
    // each cached key can hide at most one key below
    const below = await this.inner.range(from, to, limit === undefined ? undefined : limit + cached.length);
    let i = 0;
    let j = 0;
    while (out.length < max && (i < cached.length || j < below.length)) {
      const c = cached[i];
      const b = below[j];
      const order = !c ? 1 : !b ? -1 : c.key.compare(b[0]);
      if (order <= 0) {
        if (c!.value) out.push([c!.key, c!.value]);
        i++;
        if (order === 0) j++;
      } else {
        out.push(b!);
        j++;
      }
    }
    return out;
  }

  writeAll(writes: ReadonlyArray<KeyValueWrite>): Promise<void> {
    // batches come from a cache above this one, which the stack never has
    return this.inner.writeAll(writes);
  }

  async isEmpty(): Promise<boolean> {
    if (!this.budget) return this.inner.isEmpty();
    for (const e of this.entries.values()) if (e.value) return false;
    if (this.complete) return true;
    await this.writeBack();
    return this.inner.isEmpty();
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
    for (const [id, e] of this.entries) {
      if (this.bytes - freed <= targetBytes) break;
      if (e.dirty) continue;
      this.entries.delete(id);
      freed += sizeOf(e);
      this.complete = false;
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
    await this.reset();
  }

  override async wipe(): Promise<void> {
    await this.inner.wipe();
    await this.reset();
  }

  override async stats(): Promise<StoreStats> {
    const s = await this.inner.stats();
    return { ...s, cacheBytes: (s.cacheBytes ?? 0) + this.bytes };
  }

  private async write(key: Buffer, value: Buffer | null): Promise<void> {
    this.throwIfFailed();
    const id = key.toString('latin1');
    const cached = this.entries.get(id);
    if (cached) {
      const delta = (value?.length ?? 0) - (cached.value?.length ?? 0);
      // a clean entry holds what is below
      if (!cached.dirty) cached.prior = cached.value;
      cached.value = value;
      cached.dirty = true;
      // flushes forward in the order of the latest writes, as Kafka Streams' dirty-key list
      this.dirty.delete(cached);
      this.dirty.add(cached);
      // most recently written last: eviction takes the oldest writes first
      this.entries.delete(id);
      this.entries.set(id, cached);
      this.bytes += delta;
      await this.budget!.grew(this, delta);
      return;
    }
    const entry: Entry = {
      key,
      value,
      dirty: true,
      below: !this.complete,
      prior: this.complete ? null : undefined,
    };
    this.dirty.add(entry);
    await this.insert(id, entry);
  }

  private async insert(id: string, entry: Entry): Promise<void> {
    this.entries.set(id, entry);
    const size = sizeOf(entry);
    this.bytes += size;
    await this.budget!.grew(this, size);
  }

  /** Local state changed under the cache (open, restore, wipe): start empty. */
  private async reset(): Promise<void> {
    this.clear();
    this.complete = this.budget ? await this.inner.isEmpty() : false;
  }

  private clear(): void {
    this.release(this.bytes);
    this.entries.clear();
    this.dirty.clear();
  }

  private release(bytes: number): void {
    if (!bytes) return;
    this.bytes -= bytes;
    this.budget?.shrank(bytes);
  }

  /** Writes the dirty entries, least recently written first, in one batch. */
  private writeBack(): Promise<void> {
    const run = this.writing.then(async () => {
      const batch = [...this.dirty];
      this.dirty.clear();
      if (!batch.length) return;
      const listener = this.listener;
      const priors: Array<Buffer | null> = [];
      if (listener) {
        for (const e of batch) {
          priors.push(e.prior !== undefined ? e.prior : ((await this.inner.get(e.key)) ?? null));
          e.prior = undefined;
        }
      }
      const writes = batch.map((e) => ({ key: e.key, value: e.value }));
      for (const e of batch) {
        e.dirty = false;
        if (e.value) e.below = true;
      }
      try {
        await this.inner.writeAll(writes);
      } catch (error) {
        for (const e of batch) {
          e.dirty = true;
          this.dirty.add(e);
        }
        throw error;
      }
      if (listener) {
        for (let i = 0; i < batch.length; i++) {
          const e = batch[i]!;
          const prior = priors[i] ?? null;
          if (e.value === null && prior === null) continue;
          await listener(e.key, e.value, prior);
        }
      }
      for (const e of batch) {
        if (e.dirty || e.value) continue;
        e.below = false;
        // a written tombstone of a store whose every key is cached is just an absent key
        if (this.complete) {
          const id = e.key.toString('latin1');
          if (this.entries.get(id) === e) {
            this.entries.delete(id);
            this.release(sizeOf(e));
          }
        }
      }
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
