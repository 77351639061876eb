import type { KeyValueEntry, KeyValueStore, StateStore, StoreBuilder, WindowStore } from '../state/api';
import { SessionStore, type SessionEntry } from '../state/session-store';
import type { ValueAndTimestamp } from '../state/timestamped';

/** What `driver.getKeyValueStore(name)` returns: plain values, also of timestamped stores. */
export interface KeyValueStoreView<K, V> {
  get(key: K): Promise<V | undefined>;
  range(from?: K, to?: K): Promise<Array<KeyValueEntry<K, V>>>;
  /** Every entry, in key (byte) order. */
  all(): Promise<Array<KeyValueEntry<K, V>>>;
}

/** What `driver.getWindowStore(name)` returns: entries by window start, plain values. */
export interface WindowStoreView<K, V> {
  /** Windows of `key` starting within [fromStart, toStart]. */
  fetch(key: K, fromStart: number, toStart: number): Promise<Array<{ windowStart: number; value: V }>>;
  /** The value of one window, if any. */
  fetchWindow(key: K, windowStart: number): Promise<V | undefined>;
}

const isTimestamped = (builder: StoreBuilder | undefined) =>
  (builder as { timestamped?: boolean } | undefined)?.timestamped === true;

export function keyValueStoreView<K, V>(
  store: StateStore,
  builder: StoreBuilder | undefined,
): KeyValueStoreView<K, V> {
  if (store instanceof SessionStore)
    throw new Error(`store ${store.name} is a session store: use getSessionStore`);
  const kv = store as KeyValueStore<K, unknown>;
  if (typeof kv.get !== 'function' || typeof kv.range !== 'function')
    throw new Error(`store ${store.name} is not a key-value store`);
  const unwrap = isTimestamped(builder)
    ? (v: unknown) => (v as ValueAndTimestamp<V>).value
    : (v: unknown) => v as V;
  const entries = async (from?: K, to?: K) =>
    (await kv.range(from, to)).map((e) => ({ key: e.key, value: unwrap(e.value) }));
  return {
    async get(key) {
      const v = await kv.get(key);
      return v === undefined ? undefined : unwrap(v);
    },
    range: entries,
    all: () => entries(),
  };
}

export function windowStoreView<K, V>(
  store: StateStore,
  builder: StoreBuilder | undefined,
): WindowStoreView<K, V> {
  const ws = store as WindowStore<K, unknown>;
  if (typeof ws.fetch !== 'function' || typeof ws.observeStreamTime !== 'function')
    throw new Error(`store ${store.name} is not a window store`);
  const unwrap = isTimestamped(builder)
    ? (v: unknown) => (v as ValueAndTimestamp<V>).value
    : (v: unknown) => v as V;
  return {
    async fetch(key, fromStart, toStart) {
      return (await ws.fetch(key, fromStart, toStart)).map((e) => ({
        windowStart: e.timestamp,
        value: unwrap(e.value),
      }));
    },
    async fetchWindow(key, windowStart) {
      const [e] = await ws.fetch(key, windowStart, windowStart);
      return e ? unwrap(e.value) : undefined;
    },
  };
}

export function sessionStoreView<K, V>(
  store: StateStore,
): { fetch(key: K): Promise<Array<SessionEntry<K, V>>> } {
  if (!(store instanceof SessionStore)) throw new Error(`store ${store.name} is not a session store`);
  const s = store as SessionStore<K, V>;
  return { fetch: (key) => s.fetch(key) };
}
