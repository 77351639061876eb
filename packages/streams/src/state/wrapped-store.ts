import type { StateStoreContext } from './api';
import type { ChangelogEntry, ManagedStore, StoreStats } from './bytes-stores';

/**
 * The one pass-through base of the store layers (metered -> caching -> changelogging ->
 * LevelDB): everything a layer does not change goes to the layer below, so each layer
 * says only what it adds.
 */
export abstract class WrappedStore<S extends ManagedStore> implements ManagedStore {
  constructor(protected readonly inner: S) {}

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  init(context: StateStoreContext): Promise<void> {
    return this.inner.init(context);
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  beginRestore(latestTimestampMs: number | null): Promise<void> {
    return this.inner.beginRestore(latestTimestampMs);
  }

  restore(records: ReadonlyArray<ChangelogEntry>): Promise<void> {
    return this.inner.restore(records);
  }

  wipe(): Promise<void> {
    return this.inner.wipe();
  }

  stats(): Promise<StoreStats> {
    return this.inner.stats();
  }
}
