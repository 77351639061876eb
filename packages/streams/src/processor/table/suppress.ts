import type { KeyValueStore } from '../../state/api';
import type { Serde } from '../../serdes/serde';
import type { Windowed } from '../../types/index';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import type { Change } from './change';

/** What the suppression buffer keeps per key: the latest update, its record's timestamp, and when it may go. */
export interface BufferedChange<V> {
  readonly bufferTime: number;
  readonly timestamp: number;
  readonly newValue: V | null;
  /** The old value of the first buffered update: the value downstream last saw. */
  readonly oldValue: V | null;
}

/** JSON `{ b, t, n, o }` with the values as base64 of the table's value serde. */
export function bufferedChangeSerde<V>(valueSerde: Serde<V>): Serde<BufferedChange<V>> {
  const encode = (v: V | null) => {
    const bytes = v === null ? null : valueSerde.serialize('', v, {});
    return bytes === null ? null : bytes.toString('base64');
  };
  const decode = (s: string | null): V | null =>
    s === null ? null : valueSerde.deserialize('', Buffer.from(s, 'base64'), {});
  return {
    serialize: (_t, data) =>
      data === null || data === undefined
        ? null
        : Buffer.from(
            JSON.stringify({
              b: data.bufferTime,
              t: data.timestamp,
              n: encode(data.newValue),
              o: encode(data.oldValue),
            }),
          ),
    deserialize: (_t, bytes) => {
      if (bytes === null) return null as unknown as BufferedChange<V>;
      const o = JSON.parse(bytes.toString('utf8')) as {
        b: number;
        t: number;
        n: string | null;
        o: string | null;
      };
      return { bufferTime: o.b, timestamp: o.t, newValue: decode(o.n), oldValue: decode(o.o) };
    },
  };
}

/**
 * Kafka Streams' KTableSuppressProcessor with Suppressed.untilWindowCloses (unbounded
 * buffer): updates of a windowed table wait in a buffer, one per key, until stream time
 * (the largest timestamp this node has seen) reaches window end + grace; then the final
 * value is emitted once, with the timestamp of its last update. Final deletions are not
 * emitted. The buffer lives in memory and in a logged key-value store, so it survives a
 * restart.
 */
export function suppressProcessor<K, V>(options: {
  storeName: string;
  graceMs: number;
  keyBytes: (key: Windowed<K>) => Buffer;
}): ProcessorSupplier<Windowed<K>, Change<V>, Windowed<K>, Change<V>> {
  return (): Processor<Windowed<K>, Change<V>, Windowed<K>, Change<V>> => {
    let context!: ProcessorContext<Windowed<K>, Change<V>>;
    let store!: KeyValueStore<Windowed<K>, BufferedChange<V>>;
    const buffer = new Map<string, { key: Windowed<K>; bytes: Buffer; change: BufferedChange<V> }>();
    let minBufferTime = Number.POSITIVE_INFINITY;
    let observedStreamTime = -1;
    let loaded = false;

    async function load() {
      for (const { key, value } of await store.range()) {
        const bytes = options.keyBytes(key);
        buffer.set(bytes.toString('latin1'), { key, bytes, change: value });
        minBufferTime = Math.min(minBufferTime, value.bufferTime);
        observedStreamTime = Math.max(observedStreamTime, value.timestamp);
      }
      loaded = true;
    }

    async function emitClosed() {
      const expiry = observedStreamTime - options.graceMs;
      if (minBufferTime > expiry) return;
      const due = [...buffer.entries()]
        .filter(([, e]) => e.change.bufferTime <= expiry)
        .sort(([, a], [, b]) => a.change.bufferTime - b.change.bufferTime || a.bytes.compare(b.bytes));
      for (const [id, entry] of due) {
        buffer.delete(id);
        await store.delete(entry.key);
        const { newValue, oldValue, timestamp } = entry.change;
        if (newValue === null) continue; // untilWindowCloses: a final deletion is safe to drop
        await context.forward({ key: entry.key, value: { newValue, oldValue }, timestamp, headers: {} });
      }
      minBufferTime = Number.POSITIVE_INFINITY;
      for (const e of buffer.values()) minBufferTime = Math.min(minBufferTime, e.change.bufferTime);
    }

    return {
      init(ctx) {
        context = ctx;
        store = ctx.getStateStore(options.storeName);
      },
      async process(record) {
        if (!loaded) await load();
        observedStreamTime = Math.max(observedStreamTime, record.timestamp);
        const bytes = options.keyBytes(record.key);
        const id = bytes.toString('latin1');
        // the old value emitted is the last update's, not the one before the first buffered
        // update: Kafka Streams' buffer evicts Change(newValue, oldValue) of the latest put,
        // so a filter after suppress compares the final value with the one just before it
        const change: BufferedChange<V> = {
          bufferTime: record.key.window.end,
          timestamp: record.timestamp,
          newValue: record.value.newValue,
          oldValue: record.value.oldValue,
        };
        buffer.set(id, { key: record.key, bytes, change });
        await store.put(record.key, change);
        minBufferTime = Math.min(minBufferTime, change.bufferTime);
        await emitClosed();
      },
    };
  };
}
