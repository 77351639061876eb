import type { Headers } from '../types/index';

export interface Serializer<T> {
  /** null stays null (a tombstone or an absent key) and is never handed to a serde's codec. */
  serialize(topic: string, data: T | null, headers: Headers): Buffer | null;
}

export interface Deserializer<T> {
  /** Throws on bad input; the runtime routes the record to the deserialization exception handler. */
  deserialize(topic: string, data: Buffer | null, headers: Headers): T;
}

/**
 * Kafka's Serde: both directions for one type. `topic` and `headers` are passed so that
 * schema-aware serdes can use them; the built-in ones ignore them.
 */
export interface Serde<T> extends Serializer<T>, Deserializer<T> {}

export class SerializationError extends Error {
  override readonly name = 'SerializationError';
}

function nullSafe<T>(encode: (data: T) => Buffer, decode: (bytes: Buffer) => T): Serde<T> {
  return {
    serialize: (_topic, data) => (data === null || data === undefined ? null : encode(data)),
    // A null payload deserializes to null, as in Kafka's own serdes; the value type is the user's promise.
    deserialize: (_topic, bytes) => (bytes === null ? (null as T) : decode(bytes)),
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Factories for the built-in serdes, named like Kafka's `Serdes.String()` etc. */
export const Serdes = {
  string(): Serde<string> {
    return nullSafe(
      (s) => Buffer.from(s, 'utf8'),
      (b) => {
        try {
          return utf8.decode(b);
        } catch {
          throw new SerializationError(`not valid UTF-8 (${b.length} bytes)`);
        }
      },
    );
  },

  /** JSON text in UTF-8. Deserializing bad JSON throws, which routes the record to the exception handler. */
  json<T = unknown>(): Serde<T> {
    return nullSafe(
      (v) => Buffer.from(JSON.stringify(v), 'utf8'),
      (b) => {
        try {
          return JSON.parse(utf8.decode(b)) as T;
        } catch (e) {
          throw new SerializationError(`not valid JSON: ${(e as Error).message}`);
        }
      },
    );
  },

  /** A whole number as 8 bytes, big-endian (Kafka's Serdes.Long(); counts use it). */
  long(): Serde<number> {
    return nullSafe(
      (n) => {
        const out = Buffer.allocUnsafe(8);
        out.writeBigInt64BE(BigInt(n));
        return out;
      },
      (b) => {
        if (b.length !== 8) throw new SerializationError(`a long is 8 bytes, got ${b.length}`);
        return Number(b.readBigInt64BE());
      },
    );
  },

  /** Raw bytes, untouched. */
  buffer(): Serde<Buffer> {
    return nullSafe(
      (b) => b,
      (b) => b,
    );
  },

  /** A custom serde from two functions; null handling is done for you. */
  from<T>(serialize: (data: T) => Buffer, deserialize: (bytes: Buffer) => T): Serde<T> {
    return nullSafe(serialize, deserialize);
  },
} as const;
