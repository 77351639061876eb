import type { ChangelogSink, StateStoreContext } from './api';
import type { ChangelogEntry, KeyValueBytesStore, StoreStats, WindowBytesStore } from './bytes-stores';

/**
 * The changelogging layer: every change that reached local state goes to the task's
 * ChangelogSink as (stored key, value | null, timestamp). Restores bypass it.
 */
abstract class ChangeLogging<S extends WindowBytesStore | KeyValueBytesStore> {
  protected sink: ChangelogSink | null = null;

  constructor(protected readonly inner: S) {}

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  async init(context: StateStoreContext): Promise<void> {
    this.sink = context.changelog;
    await this.inner.init(context);
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

export class ChangeLoggingWindowStore extends ChangeLogging<WindowBytesStore> implements WindowBytesStore {
  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  async put(key: Buffer, value: Buffer, timestampMs: number): Promise<Buffer | null> {
    const stored = await this.inner.put(key, value, timestampMs);
    // an expired record never reached local state, so there is nothing to log
    if (stored) this.sink?.append(this.name, stored, value, timestampMs);
    return stored;
  }

  fetch(key: Buffer, fromMs: number, toMs: number): Promise<Array<{ timestamp: number; value: Buffer }>> {
    return this.inner.fetch(key, fromMs, toMs);
  }

  observeStreamTime(streamTimeMs: number): Promise<void> {
    return this.inner.observeStreamTime(streamTimeMs);
  }
}

export class ChangeLoggingKeyValueStore
  extends ChangeLogging<KeyValueBytesStore>
  implements KeyValueBytesStore
{
  get(key: Buffer): Promise<Buffer | undefined> {
    return this.inner.get(key);
  }

  async put(key: Buffer, value: Buffer): Promise<void> {
    await this.inner.put(key, value);
    this.sink?.append(this.name, key, value, Date.now());
  }

  async delete(key: Buffer): Promise<void> {
    await this.inner.delete(key);
    this.sink?.append(this.name, key, null, Date.now());
  }

  range(from?: Buffer, to?: Buffer, limit?: number): Promise<Array<[Buffer, Buffer]>> {
    return this.inner.range(from, to, limit);
  }
}
