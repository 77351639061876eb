/** What stores need of a serde: bytes in, bytes out (structurally the config's Serde). */
export interface StoreSerde<T> {
  serialize(value: T): Buffer | Uint8Array;
  deserialize(data: Buffer): T;
}

/** Kafka Streams' default serde when none is configured: UTF-8 strings. */
export const utf8StoreSerde: StoreSerde<string> = {
  serialize: (value) => Buffer.from(String(value), 'utf8'),
  deserialize: (data) => data.toString('utf8'),
};

export function toBuffer(bytes: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
