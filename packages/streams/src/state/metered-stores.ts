import type { StreamsEvents } from '../observability/events';
import type { TaskId } from '../types/index';
import type { KeyValueEntry, KeyValueStore, StateStoreContext, WindowStore, WindowStoreEntry } from './api';
import type { KeyValueBytesStore, ManagedStore, WindowBytesStore } from './bytes-stores';
import { changelogTopicName } from '../topology/topic-names';
import { WrappedStore } from './wrapped-store';
import type { Serde } from '../serdes/serde';
import { defaultSerde, storeSerde, type StoreSerde } from './serde';
import { isTaskStoreContext } from './store-context';
import type { CachingKeyValueStore } from './cache/caching-key-value-store';
import type { CachingWindowStore } from './cache/caching-window-store';

export interface DefaultSerdes {
  key: Serde<unknown>;
  value: Serde<unknown>;
}

/** A serde, or one made at init from the configured defaults (composite keys of joins). */
export type SerdeSpec<T> = Serde<T> | ((defaults: DefaultSerdes) => Serde<T>);

export interface StoreSerdes<K, V> {
  key?: SerdeSpec<K> | undefined;
  value?: SerdeSpec<V> | undefined;
}

function resolve<T>(
  spec: SerdeSpec<T> | undefined,
  fallback: Serde<unknown>,
  defaults: DefaultSerdes,
): Serde<T> {
  if (spec === undefined) return fallback as Serde<T>;
  return typeof spec === 'function' ? spec(defaults) : spec;
}

/**
 * The outer layer: typed keys and values in, bytes down, and a `store.operation`
 * event per call (only built when someone listens). Serdes left unset take the
 * configured defaults at init, as Kafka Streams does.
 */
abstract class Metered<K, V, S extends ManagedStore> extends WrappedStore<S> {
  protected keySerde!: StoreSerde<K>;
  protected valueSerde!: StoreSerde<V>;
  private events!: StreamsEvents;
  private taskId!: TaskId;

  constructor(
    inner: S,
    private readonly serdes: StoreSerdes<K, V>,
  ) {
    super(inner);
  }

  override async init(context: StateStoreContext): Promise<void> {
    const defaults: DefaultSerdes = isTaskStoreContext(context)
      ? { key: context.defaultKeySerde, value: context.defaultValueSerde }
      : { key: defaultSerde(), value: defaultSerde() };
    const topic = changelogTopicName(context.applicationId, this.name);
    this.keySerde = storeSerde(resolve(this.serdes.key, defaults.key, defaults), topic);
    this.valueSerde = storeSerde(resolve(this.serdes.value, defaults.value, defaults), topic);
    this.events = context.events;
    this.taskId = context.taskId;
    await this.inner.init(context);
  }

  protected async measure<T>(op: 'put' | 'fetch' | 'delete' | 'flush', run: () => Promise<T>): Promise<T> {
    if (!this.events.has('store.operation')) return run();
    const start = performance.now();
    const result = await run();
    this.events.emit('store.operation', {
      taskId: this.taskId,
      store: this.name,
      op,
      latencyMs: performance.now() - start,
    });
    return result;
  }

  protected keyBytes(key: K): Buffer {
    return this.keySerde.serialize(key);
  }

  protected valueBytes(value: V): Buffer {
    return this.valueSerde.serialize(value);
  }

  override flush(): Promise<void> {
    return this.measure('flush', () => this.inner.flush());
  }
}

export class MeteredWindowStore<K, V> extends Metered<K, V, WindowBytesStore> implements WindowStore<K, V> {
  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  async put(key: K, value: V, timestamp: number): Promise<void> {
    await this.measure('put', () => this.inner.put(this.keyBytes(key), this.valueBytes(value), timestamp));
  }

  async fetch(key: K, timeFrom: number, timeTo: number): Promise<Array<WindowStoreEntry<V>>> {
    const entries = await this.measure('fetch', () => this.inner.fetch(this.keyBytes(key), timeFrom, timeTo));
    return entries.map((e) => ({ timestamp: e.timestamp, value: this.valueSerde.deserialize(e.value) }));
  }

  observeStreamTime(streamTimeMs: number): Promise<void> {
    return this.inner.observeStreamTime(streamTimeMs);
  }

  /**
   * Forwards flushed records through `listener` (aggregation stores): true when the record
   * cache is active and calls it at commit or eviction, false when it passes writes through
   * and the caller must forward each update itself.
   */
  setFlushListener(
    listener: (key: K, windowStartMs: number, newValue: V, oldValue: V | null) => Promise<void>,
  ): boolean {
    const inner = this.inner as Partial<Pick<CachingWindowStore, 'setFlushListener'>>;
    if (typeof inner.setFlushListener !== 'function') return false;
    return inner.setFlushListener((key, timestamp, newValue, oldValue) =>
      listener(
        this.keySerde.deserialize(key),
        timestamp,
        this.valueSerde.deserialize(newValue),
        oldValue === null ? null : this.valueSerde.deserialize(oldValue),
      ),
    );
  }
}

export class MeteredKeyValueStore<K, V>
  extends Metered<K, V, KeyValueBytesStore>
  implements KeyValueStore<K, V>
{
  async get(key: K): Promise<V | undefined> {
    const bytes = await this.measure('fetch', () => this.inner.get(this.keyBytes(key)));
    return bytes === undefined ? undefined : this.valueSerde.deserialize(bytes);
  }

  put(key: K, value: V): Promise<void> {
    return this.measure('put', () => this.inner.put(this.keyBytes(key), this.valueBytes(value)));
  }

  delete(key: K): Promise<void> {
    return this.measure('delete', () => this.inner.delete(this.keyBytes(key)));
  }

  async range(from?: K, to?: K, limit?: number): Promise<Array<KeyValueEntry<K, V>>> {
    const entries = await this.measure('fetch', () =>
      this.inner.range(
        from === undefined ? undefined : this.keyBytes(from),
        to === undefined ? undefined : this.keyBytes(to),
        limit,
      ),
    );
    return entries.map(([k, v]) => ({
      key: this.keySerde.deserialize(k),
      value: this.valueSerde.deserialize(v),
    }));
  }

  /**
   * Forwards flushed records through `listener` (aggregation and table stores): true when
   * the record cache is active and calls it at commit or eviction, false when it passes
   * writes through and the caller must forward each update itself.
   */
  setFlushListener(listener: (key: K, newValue: V | null, oldValue: V | null) => Promise<void>): boolean {
    const inner = this.inner as Partial<Pick<CachingKeyValueStore, 'setFlushListener'>>;
    if (typeof inner.setFlushListener !== 'function') return false;
    return inner.setFlushListener((key, newValue, oldValue) =>
      listener(
        this.keySerde.deserialize(key),
        newValue === null ? null : this.valueSerde.deserialize(newValue),
        oldValue === null ? null : this.valueSerde.deserialize(oldValue),
      ),
    );
  }
}
