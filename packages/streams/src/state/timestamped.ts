import type { Serde } from '../serdes/serde';
import { readTimestamp, writeTimestamp } from './keys';

/** A value with the timestamp of the record that last updated it (Kafka Streams' ValueAndTimestamp). */
export interface ValueAndTimestamp<V> {
  readonly value: V;
  readonly timestamp: number;
}

/** `[timestamp 8B][value]`: the value format of timestamped stores. */
export function valueAndTimestampSerde<V>(inner: Serde<V>): Serde<ValueAndTimestamp<V>> {
  return {
    serialize(topic, data, headers) {
      if (data === null || data === undefined) return null;
      const bytes = inner.serialize(topic, data.value, headers);
      if (bytes === null) return null;
      const out = Buffer.allocUnsafe(8 + bytes.length);
      writeTimestamp(out, 0, data.timestamp);
      bytes.copy(out, 8);
      return out;
    },
    deserialize(topic, data, headers) {
      if (data === null) return null as unknown as ValueAndTimestamp<V>;
      return {
        timestamp: readTimestamp(data, 0),
        value: inner.deserialize(topic, data.subarray(8), headers),
      };
    },
  };
}
