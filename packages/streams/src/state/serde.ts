import { Serdes, type Serde } from '../serdes/serde';

/** What the store layers need of a serde: bytes in, bytes out, no topic or headers. */
export interface StoreSerde<T> {
  serialize(value: T): Buffer;
  deserialize(data: Buffer): T;
}

const NO_HEADERS = {};

/**
 * Adapts a Kafka-style Serde for a store; `topic` is the store's changelog topic, as
 * Kafka Streams passes it to store serdes. A null result (null key or value) cannot be
 * stored: processors drop such records before they reach a store.
 */
export function storeSerde<T>(serde: Serde<T>, topic: string): StoreSerde<T> {
  return {
    serialize(value) {
      const bytes = serde.serialize(topic, value, NO_HEADERS);
      if (bytes === null) throw new TypeError(`store ${topic}: cannot store a null key or value`);
      return bytes;
    },
    deserialize: (data) => serde.deserialize(topic, data, NO_HEADERS),
  };
}

/** Kafka Streams' default when no serde is configured: UTF-8 strings. */
export function defaultSerde(): Serde<unknown> {
  return Serdes.string() as Serde<unknown>;
}
