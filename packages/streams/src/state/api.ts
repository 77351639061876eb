import type { StreamsConfig } from '../config/schema';
import type { StreamsEvents } from '../observability/events';
import type { TaskId } from '../types/index';

/** What a store learns about its task when the task opens it. */
export interface StateStoreContext {
  readonly applicationId: string;
  readonly taskId: TaskId;
  /** `<stateDir>/<applicationId>/<task>`: one directory per task (LevelDB locks a directory to one process). */
  readonly taskDir: string;
  readonly events: StreamsEvents;
  /** Receives every change a logging store makes; null when logging is disabled or in tests without a changelog. */
  readonly changelog: ChangelogSink | null;
}

/** Where changelogging stores write their changes; the runtime flushes it in the commit loop. */
export interface ChangelogSink {
  /** `value` null is a tombstone. */
  append(store: string, key: Buffer, value: Buffer | null, timestamp: number): void;
}

export interface StateStore {
  readonly name: string;
  readonly persistent: boolean;
  init(context: StateStoreContext): Promise<void>;
  /** Makes everything written so far durable locally (before offsets are committed). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface WindowStoreEntry<V> {
  readonly timestamp: number;
  readonly value: V;
}

/**
 * A segmented store of (key, timestamp) -> value. With retainDuplicates, puts with
 * equal key and timestamp are all kept (join stores need that).
 */
export interface WindowStore<K, V> extends StateStore {
  put(key: K, value: V, timestamp: number): Promise<void>;
  /** Entries for `key` with timeFrom <= timestamp <= timeTo, in timestamp order. */
  fetch(key: K, timeFrom: number, timeTo: number): Promise<Array<WindowStoreEntry<V>>>;
  /** Tells the store how far stream time has advanced, so it can drop expired segments. */
  observeStreamTime(streamTimeMs: number): Promise<void>;
}

export interface KeyValueEntry<K, V> {
  readonly key: K;
  readonly value: V;
}

/** An ordered key-value store (byte order of the serialized key). */
export interface KeyValueStore<K, V> extends StateStore {
  get(key: K): Promise<V | undefined>;
  put(key: K, value: V): Promise<void>;
  delete(key: K): Promise<void>;
  /** Entries with from <= key < to in key order; both bounds optional; at most `limit` when given. */
  range(from?: K, to?: K, limit?: number): Promise<Array<KeyValueEntry<K, V>>>;
}

/** Creates a task's instance of a store; the topology holds builders, tasks hold stores. */
export interface StoreBuilder<S extends StateStore = StateStore> {
  readonly name: string;
  /** Whether the store writes a changelog topic `<applicationId>-<name>-changelog`. */
  readonly loggingEnabled: boolean;
  /**
   * Topic configs of the changelog (cleanup.policy, retention.ms, ...). Window stores need
   * the app's config for retention.ms (windowStoreChangelogAdditionalRetentionMs and
   * windowStoreChangelogRetention); without it Kafka Streams' defaults apply.
   */
  changelogConfig(
    config?: Pick<
      StreamsConfig,
      'windowStoreChangelogAdditionalRetentionMs' | 'windowStoreChangelogRetention'
    >,
  ): Record<string, string>;
  build(): S;
}
