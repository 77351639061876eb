import type { StreamsConfig } from '../../config/schema';

/** What the budget needs of a cache: its size, and a way to make it smaller. */
export interface EvictableCache {
  readonly bytes: number;
  /** Writes back what is dirty and drops entries until the cache holds at most `targetBytes`. */
  evict(targetBytes: number): Promise<void>;
  /** A cache that forwards records when it evicts is only evicted by its own growth (its task's processing). */
  readonly forwards?: boolean;
}

/** After an eviction a cache holds this share of its limit, so evictions come in batches. */
const EVICT_TO = 0.75;

/**
 * stateStore.cacheMaxBytes for one application in this process, shared by the record
 * caches of all its tasks' stores (Kafka Streams divides statestore.cache.max.bytes over
 * its threads' caches the same way). A cache may grow past its even share while others
 * leave room; once the total passes the limit, the cache that grew evicts itself if it is
 * over its share, else the largest cache is asked to.
 */
export class CacheBudget {
  private readonly caches = new Set<EvictableCache>();
  private used = 0;

  constructor(readonly maxBytes: number) {}

  get usedBytes(): number {
    return this.used;
  }

  register(cache: EvictableCache): void {
    this.caches.add(cache);
  }

  unregister(cache: EvictableCache): void {
    if (this.caches.delete(cache)) this.used -= cache.bytes;
  }

  /** Counts a change of one cache's size; resolves when the caller's own eviction (if any) is done. */
  async grew(cache: EvictableCache, deltaBytes: number): Promise<void> {
    this.used += deltaBytes;
    if (this.used <= this.maxBytes) return;
    const share = this.maxBytes / Math.max(1, this.caches.size);
    if (cache.bytes > share) return cache.evict(share * EVICT_TO);
    let largest = cache;
    for (const c of this.caches) if (!c.forwards && c.bytes > largest.bytes) largest = c;
    if (largest === cache && cache.forwards) return cache.evict(share * EVICT_TO);
    // another task's cache: its own operations stay consistent during an eviction, and an
    // error is kept by that cache and thrown at its next flush
    void largest.evict(share * EVICT_TO);
  }

  shrank(deltaBytes: number): void {
    this.used -= deltaBytes;
  }
}

const budgets = new WeakMap<object, CacheBudget>();

/** One budget per application config, shared by all its tasks in this process. */
export function cacheBudgetFor(config: StreamsConfig): CacheBudget {
  let budget = budgets.get(config);
  if (!budget) {
    budget = new CacheBudget(config.stateStore.cacheMaxBytes);
    budgets.set(config, budget);
  }
  return budget;
}

/** What one cached record costs beyond its key and value bytes (entry object, map slot, heap slot). */
export const ENTRY_OVERHEAD_BYTES = 96;
