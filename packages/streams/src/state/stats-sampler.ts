import type { StreamsEvents } from '../observability/events';
import type { TaskId } from '../types/index';
import type { ManagedStore } from './bytes-stores';
import type { StorageLayout } from './leveldb/layout';
import type { MemoryGovernor } from './leveldb/memory-governor';
import type { CacheBudget } from './cache/cache-budget';

/** The store name `store.stats` uses for the per-task layout's shared instance. */
export const SHARED_INSTANCE_STORE = 'leveldb';

/**
 * Samples a task's stores: one `store.stats` per store (plus one for the per-task
 * layout's shared instance, so memory is not counted once per store) and one
 * `store.footprint` with the instances open in the process right now.
 */
export async function sampleStoreStats(
  taskId: TaskId,
  stores: Iterable<ManagedStore>,
  layout: StorageLayout,
  governor: MemoryGovernor,
  cacheBudget: CacheBudget,
  events: StreamsEvents,
): Promise<void> {
  for (const store of stores) {
    const s = await store.stats();
    events.emit('store.stats', { taskId, store: store.name, ...s });
  }
  const shared = await layout.sharedStats();
  if (shared) {
    events.emit('store.stats', {
      taskId,
      store: SHARED_INSTANCE_STORE,
      layout: layout.kind,
      segments: 0,
      ...shared,
    });
  }
  events.emit('store.footprint', {
    ...governor.snapshot(),
    cacheBytes: cacheBudget.usedBytes,
    cacheMaxBytes: cacheBudget.maxBytes,
  });
}

export function startStatsSampler(intervalMs: number, sample: () => Promise<void>): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sample()
      .catch(() => undefined) // a store closing under the sampler is not an error worth surfacing
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
