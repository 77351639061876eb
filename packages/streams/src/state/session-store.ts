import type { StreamsConfig } from '../config/schema';
import type { Serde } from '../serdes/serde';
import type { StoreBuilder } from './api';
import { readTimestamp, writeTimestamp } from './keys';
import type { MeteredKeyValueStore, SerdeSpec } from './metered-stores';
import { KeyValueStoreBuilder, type StoreLogging } from './stores';
import { WrappedStore } from './wrapped-store';

/** A session of one key: both ends inclusive, as Kafka Streams' SessionWindow. */
export interface SessionKey<K> {
  readonly key: K;
  readonly start: number;
  readonly end: number;
}

/** The largest timestamp the key layout can order (timestamps are shifted by 2^52). */
const MAX_TIME = 2 ** 52 - 1;

/**
 * `[key length u32][key][end 8B][start 8B]`: one key's sessions are one range, ordered by
 * end time, so finding the sessions that end at or after a time is one range scan.
 */
export function sessionKeySerde<K>(inner: Serde<K>): Serde<SessionKey<K>> {
  return {
    serialize(topic, data, headers) {
      if (data === null || data === undefined) return null;
      const key = inner.serialize(topic, data.key, headers);
      if (key === null) return null;
      const out = Buffer.allocUnsafe(4 + key.length + 16);
      out.writeUInt32BE(key.length, 0);
      key.copy(out, 4);
      writeTimestamp(out, 4 + key.length, data.end);
      writeTimestamp(out, 12 + key.length, data.start);
      return out;
    },
    deserialize(topic, data, headers) {
      if (data === null) return null as unknown as SessionKey<K>;
      const length = data.readUInt32BE(0);
      return {
        key: inner.deserialize(topic, data.subarray(4, 4 + length), headers),
        end: readTimestamp(data, 4 + length),
        start: readTimestamp(data, 12 + length),
      };
    },
  };
}

export interface SessionStoreBuilderOptions<K, V> {
  name: string;
  /** How long a session is kept after its end (Kafka Streams: inactivity gap + grace). */
  retentionMs: number;
  keySerde?: Serde<K>;
  valueSerde?: SerdeSpec<V>;
  logging?: StoreLogging;
}

export interface SessionEntry<K, V> {
  readonly key: SessionKey<K>;
  readonly value: V;
}

/**
 * Kafka Streams' SessionStore on the key-value stack (metered -> caching -> changelogging
 * -> LevelDB, on the task's layout): sessions of a key, found by their time range.
 *
 * Sessions expire as in Kafka Streams' segmented session store: one that ended before the
 * store's observed time (the latest session end written) - retention + 1 is no longer
 * found, so a record after a long pause starts a new session instead of merging with an
 * expired one. They are hidden, not deleted: the changelog's retention removes them there,
 * and locally they stay until the task's state is wiped. The observed time starts again
 * from the first write after the store is opened, as Kafka Streams' does after a restart
 * with local state.
 */
export class SessionStore<K, V> extends WrappedStore<MeteredKeyValueStore<SessionKey<K>, V>> {
  private observedTime = -MAX_TIME;

  constructor(
    inner: MeteredKeyValueStore<SessionKey<K>, V>,
    private readonly retentionMs: number = MAX_TIME,
  ) {
    super(inner);
  }

  /** Sessions of `key` with end >= earliestSessionEndTime and start <= latestSessionStartTime, by end time. */
  async findSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): Promise<Array<SessionEntry<K, V>>> {
    const earliestLive = this.observedTime - this.retentionMs + 1;
    const entries = await this.inner.range(
      { key, end: Math.max(-MAX_TIME, earliestSessionEndTime, earliestLive), start: -MAX_TIME },
      { key, end: MAX_TIME, start: MAX_TIME },
    );
    return entries.filter((e) => e.key.start <= latestSessionStartTime);
  }

  /** Every session of `key`, by end time. */
  fetch(key: K): Promise<Array<SessionEntry<K, V>>> {
    return this.findSessions(key, -MAX_TIME, MAX_TIME);
  }

  fetchSession(key: K, start: number, end: number): Promise<V | undefined> {
    return this.inner.get({ key, start, end });
  }

  put(session: SessionKey<K>, value: V): Promise<void> {
    this.observedTime = Math.max(this.observedTime, session.end);
    return this.inner.put(session, value);
  }

  remove(session: SessionKey<K>): Promise<void> {
    this.observedTime = Math.max(this.observedTime, session.end);
    return this.inner.delete(session);
  }

  /** See MeteredKeyValueStore#setFlushListener. */
  setFlushListener(
    listener: (key: SessionKey<K>, newValue: V | null, oldValue: V | null) => Promise<void>,
  ): boolean {
    return this.inner.setFlushListener(listener);
  }
}

type RetentionConfig = Pick<
  StreamsConfig,
  'windowStoreChangelogAdditionalRetentionMs' | 'windowStoreChangelogRetention'
>;

/** Builds SessionStores; the changelog is `compact,delete` with the window stores' retention rule. */
export class SessionStoreBuilder<K, V> implements StoreBuilder<SessionStore<K, V>> {
  readonly name: string;
  readonly loggingEnabled: boolean;
  private readonly kv: KeyValueStoreBuilder<SessionKey<K>, V>;

  constructor(private readonly options: SessionStoreBuilderOptions<K, V>) {
    const keySerde = options.keySerde;
    this.kv = new KeyValueStoreBuilder<SessionKey<K>, V>({
      name: options.name,
      keySerde: (defaults) => sessionKeySerde((keySerde ?? defaults.key) as Serde<K>),
      ...(options.valueSerde ? { valueSerde: options.valueSerde } : {}),
      ...(options.logging ? { logging: options.logging } : {}),
    });
    this.name = this.kv.name;
    this.loggingEnabled = this.kv.loggingEnabled;
  }

  changelogConfig(
    config: RetentionConfig = {
      windowStoreChangelogAdditionalRetentionMs: 86_400_000,
      windowStoreChangelogRetention: 'window-plus-additional',
    },
  ): Record<string, string> {
    const topic: Record<string, string> = { 'cleanup.policy': 'compact,delete' };
    if (config.windowStoreChangelogRetention !== 'broker-default') {
      topic['retention.ms'] = String(
        this.options.retentionMs + config.windowStoreChangelogAdditionalRetentionMs,
      );
    }
    return { ...topic, ...this.options.logging?.config };
  }

  build(): SessionStore<K, V> {
    return new SessionStore(this.kv.build(), this.options.retentionMs);
  }
}
