import type { StreamsConfig } from '../config/schema';
import type { StoreBuilder } from './api';
import { CachingKeyValueStore } from './cache/caching-key-value-store';
import { CachingWindowStore } from './cache/caching-window-store';
import { ChangeLoggingKeyValueStore, ChangeLoggingWindowStore } from './changelogging-stores';
import { LevelDbKeyValueStore } from './leveldb/leveldb-key-value-store';
import { LevelDbWindowStore } from './leveldb/leveldb-window-store';
import { MeteredKeyValueStore, MeteredWindowStore } from './metered-stores';
import type { SerdeSpec } from './metered-stores';
import type { Serde } from '../serdes/serde';
import { valueAndTimestampSerde, type ValueAndTimestamp } from './timestamped';

export interface StoreLogging {
  /** Default true: the store writes `<applicationId>-<name>-changelog`. */
  enabled?: boolean;
  /** Extra changelog topic configs; they override the defaults. */
  config?: Record<string, string>;
}

export interface WindowStoreBuilderOptions<K, V> {
  name: string;
  retentionMs: number;
  windowSizeMs: number;
  retainDuplicates: boolean;
  keySerde?: SerdeSpec<K>;
  valueSerde?: SerdeSpec<V>;
  logging?: StoreLogging;
  /** @internal values are ValueAndTimestamp (set by the timestamped builders; read by the test driver). */
  timestamped?: boolean;
}

export interface KeyValueStoreBuilderOptions<K, V> {
  name: string;
  keySerde?: SerdeSpec<K>;
  valueSerde?: SerdeSpec<V>;
  logging?: StoreLogging;
  /** @internal values are ValueAndTimestamp (set by the timestamped builders; read by the test driver). */
  timestamped?: boolean;
}

type RetentionConfig = Pick<
  StreamsConfig,
  'windowStoreChangelogAdditionalRetentionMs' | 'windowStoreChangelogRetention'
>;
const KAFKA_STREAMS_RETENTION: RetentionConfig = {
  windowStoreChangelogAdditionalRetentionMs: 86_400_000,
  windowStoreChangelogRetention: 'window-plus-additional',
};

const STORE_NAME = /^[a-zA-Z0-9._-]+$/;

function checkName(name: string): void {
  if (!STORE_NAME.test(name)) {
    throw new Error(
      `store name "${name}" must be letters, digits, ".", "_" and "-" (it names a changelog topic)`,
    );
  }
}

/** A persistent segmented window store: metered -> caching -> changelogging -> LevelDB. */
export class WindowStoreBuilder<K, V> implements StoreBuilder<MeteredWindowStore<K, V>> {
  readonly name: string;
  readonly loggingEnabled: boolean;

  constructor(private readonly options: WindowStoreBuilderOptions<K, V>) {
    checkName(options.name);
    if (!(options.windowSizeMs >= 0) || !(options.retentionMs >= options.windowSizeMs)) {
      throw new RangeError(
        `window store ${options.name}: retention (${options.retentionMs} ms) must be no smaller than the window size (${options.windowSizeMs} ms)`,
      );
    }
    this.name = options.name;
    this.loggingEnabled = options.logging?.enabled ?? true;
    this.timestamped = options.timestamped ?? false;
  }

  readonly timestamped: boolean;

  get windowSizeMs(): number {
    return this.options.windowSizeMs;
  }

  get retentionMs(): number {
    return this.options.retentionMs;
  }

  /**
   * Window changelogs are `compact,delete` in Kafka Streams; stores that retain duplicates
   * (join stores) are `delete`, since every record has its own key. retention.ms is the
   * store's retention plus windowstore.changelog.additional.retention.ms, or the broker's
   * default with windowStoreChangelogRetention = 'broker-default'.
   */
  changelogConfig(config: RetentionConfig = KAFKA_STREAMS_RETENTION): Record<string, string> {
    const topic: Record<string, string> = {
      'cleanup.policy': this.options.retainDuplicates ? 'delete' : 'compact,delete',
    };
    if (config.windowStoreChangelogRetention !== 'broker-default') {
      topic['retention.ms'] = String(
        this.options.retentionMs + config.windowStoreChangelogAdditionalRetentionMs,
      );
    }
    Object.assign(topic, this.options.logging?.config);
    if (this.options.retainDuplicates) topic['cleanup.policy'] = 'delete';
    return topic;
  }

  build(): MeteredWindowStore<K, V> {
    const bytes = new LevelDbWindowStore({
      name: this.options.name,
      retentionMs: this.options.retentionMs,
      retainDuplicates: this.options.retainDuplicates,
    });
    const logged = this.loggingEnabled ? new ChangeLoggingWindowStore(bytes) : bytes;
    const cached = new CachingWindowStore(logged, this.options.retainDuplicates);
    return new MeteredWindowStore<K, V>(cached, {
      key: this.options.keySerde,
      value: this.options.valueSerde,
    });
  }
}

/** A persistent ordered key-value store: metered -> caching -> changelogging -> LevelDB. */
export class KeyValueStoreBuilder<K, V> implements StoreBuilder<MeteredKeyValueStore<K, V>> {
  readonly name: string;
  readonly loggingEnabled: boolean;

  constructor(private readonly options: KeyValueStoreBuilderOptions<K, V>) {
    checkName(options.name);
    this.name = options.name;
    this.loggingEnabled = options.logging?.enabled ?? true;
    this.timestamped = options.timestamped ?? false;
  }

  readonly timestamped: boolean;

  /** Key-value changelogs are compacted: the latest value per key is the state. */
  changelogConfig(): Record<string, string> {
    return { 'cleanup.policy': 'compact', ...this.options.logging?.config };
  }

  build(): MeteredKeyValueStore<K, V> {
    const bytes = new LevelDbKeyValueStore(this.options.name);
    const logged = this.loggingEnabled ? new ChangeLoggingKeyValueStore(bytes) : bytes;
    return new MeteredKeyValueStore<K, V>(new CachingKeyValueStore(logged), {
      key: this.options.keySerde,
      value: this.options.valueSerde,
    });
  }
}

function timestampedSerde<V>(spec: SerdeSpec<V> | undefined): SerdeSpec<ValueAndTimestamp<V>> {
  return (defaults) =>
    valueAndTimestampSerde(
      spec === undefined ? (defaults.value as Serde<V>) : typeof spec === 'function' ? spec(defaults) : spec,
    );
}

export const Stores = {
  /** Values are ValueAndTimestamp<V> (Kafka Streams' timestamped key-value store): tables and aggregations. */
  timestampedKeyValueStoreBuilder<K, V>(
    options: KeyValueStoreBuilderOptions<K, V>,
  ): KeyValueStoreBuilder<K, ValueAndTimestamp<V>> {
    return new KeyValueStoreBuilder<K, ValueAndTimestamp<V>>({
      ...options,
      valueSerde: timestampedSerde(options.valueSerde),
      timestamped: true,
    });
  },
  /** Values are ValueAndTimestamp<V> (Kafka Streams' timestamped window store): windowed aggregations. */
  timestampedWindowStoreBuilder<K, V>(
    options: WindowStoreBuilderOptions<K, V>,
  ): WindowStoreBuilder<K, ValueAndTimestamp<V>> {
    return new WindowStoreBuilder<K, ValueAndTimestamp<V>>({
      ...options,
      valueSerde: timestampedSerde(options.valueSerde),
      timestamped: true,
    });
  },
  windowStoreBuilder<K, V>(options: WindowStoreBuilderOptions<K, V>): WindowStoreBuilder<K, V> {
    return new WindowStoreBuilder(options);
  },
  keyValueStoreBuilder<K, V>(options: KeyValueStoreBuilderOptions<K, V>): KeyValueStoreBuilder<K, V> {
    return new KeyValueStoreBuilder(options);
  },
};
