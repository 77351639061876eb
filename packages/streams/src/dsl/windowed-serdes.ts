import type { Serde } from '../serdes/serde';
import type { Windowed } from '../types/index';

/**
 * Kafka Streams' WindowedSerdes: a windowed key as the inner key's bytes followed by the
 * window start (time windows, 8 bytes big-endian; the end follows from the size) or by
 * end and start (session windows), as TimeWindowedSerializer / SessionWindowedSerializer.
 */
export const WindowedSerdes = {
  timeWindowedSerdeFrom<K>(inner: Serde<K>, windowSizeMs: number): Serde<Windowed<K>> {
    return {
      serialize(topic, data, headers) {
        if (data === null || data === undefined) return null;
        const key = inner.serialize(topic, data.key, headers) ?? Buffer.alloc(0);
        const out = Buffer.allocUnsafe(key.length + 8);
        key.copy(out, 0);
        out.writeBigInt64BE(BigInt(data.window.start), key.length);
        return out;
      },
      deserialize(topic, data, headers) {
        if (data === null) return null as unknown as Windowed<K>;
        const start = Number(data.readBigInt64BE(data.length - 8));
        return {
          key: inner.deserialize(topic, data.subarray(0, data.length - 8), headers),
          window: { start, end: start + windowSizeMs },
        };
      },
    };
  },

  sessionWindowedSerdeFrom<K>(inner: Serde<K>): Serde<Windowed<K>> {
    return {
      serialize(topic, data, headers) {
        if (data === null || data === undefined) return null;
        const key = inner.serialize(topic, data.key, headers) ?? Buffer.alloc(0);
        const out = Buffer.allocUnsafe(key.length + 16);
        key.copy(out, 0);
        out.writeBigInt64BE(BigInt(data.window.end), key.length);
        out.writeBigInt64BE(BigInt(data.window.start), key.length + 8);
        return out;
      },
      deserialize(topic, data, headers) {
        if (data === null) return null as unknown as Windowed<K>;
        const n = data.length;
        return {
          key: inner.deserialize(topic, data.subarray(0, n - 16), headers),
          window: { start: Number(data.readBigInt64BE(n - 8)), end: Number(data.readBigInt64BE(n - 16)) },
        };
      },
    };
  },
};
