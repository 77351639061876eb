import type { ChangelogSink, StateStoreContext } from './api';
import type { KeyValueBytesStore, KeyValueWrite, WindowBytesStore, WindowPut } from './bytes-stores';
import { WrappedStore } from './wrapped-store';

/**
 * The changelogging layer: every change that reached local state goes to the task's
 * ChangelogSink as (stored key, value | null, timestamp). Restores bypass it.
 */
abstract class ChangeLogging<S extends WindowBytesStore | KeyValueBytesStore> extends WrappedStore<S> {
  protected sink: ChangelogSink | null = null;

  override async init(context: StateStoreContext): Promise<void> {
    this.sink = context.changelog;
    await this.inner.init(context);
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

  async putAll(puts: ReadonlyArray<WindowPut>): Promise<Array<Buffer | null>> {
    const stored = await this.inner.putAll(puts);
    if (this.sink) {
      for (let i = 0; i < puts.length; i++) {
        const key = stored[i];
        if (key) this.sink.append(this.name, key, puts[i]!.value, puts[i]!.timestampMs);
      }
    }
    return stored;
  }

  fetch(key: Buffer, fromMs: number, toMs: number): Promise<Array<{ timestamp: number; value: Buffer }>> {
    return this.inner.fetch(key, fromMs, toMs);
  }

  observeStreamTime(streamTimeMs: number): Promise<void> {
    return this.inner.observeStreamTime(streamTimeMs);
  }

  timestampUpperBound(): number {
    return this.inner.timestampUpperBound();
  }

  streamTime(): number {
    return this.inner.streamTime();
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

  async writeAll(writes: ReadonlyArray<KeyValueWrite>): Promise<void> {
    await this.inner.writeAll(writes);
    const now = Date.now();
    for (const w of writes) this.sink?.append(this.name, w.key, w.value, now);
  }

  range(from?: Buffer, to?: Buffer, limit?: number): Promise<Array<[Buffer, Buffer]>> {
    return this.inner.range(from, to, limit);
  }

  isEmpty(): Promise<boolean> {
    return this.inner.isEmpty();
  }
}
