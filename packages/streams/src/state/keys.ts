/**
 * Byte layouts of store keys. Window store keys are
 * `[key length u32][key][timestamp 8B][sequence 10B]`: the length prefix keeps keys of
 * different lengths apart, so `fetch(key, from, to)` is one exact range scan, and the
 * sequence keeps duplicates (same key and timestamp) apart in insertion order.
 */

const TIMESTAMP_BYTES = 8;
/** 6 bytes of the store's open time (ms) + a 4-byte counter: unique across restarts. */
export const SEQUENCE_BYTES = 10;
const SUFFIX_BYTES = TIMESTAMP_BYTES + SEQUENCE_BYTES;
const LENGTH_BYTES = 4;
const TWO_32 = 2 ** 32;
/** Shifts timestamps so negative ones still sort before positive ones. */
const TIMESTAMP_OFFSET = 2 ** 52;

export function writeTimestamp(target: Buffer, offset: number, timestampMs: number): void {
  const shifted = timestampMs + TIMESTAMP_OFFSET;
  target.writeUInt32BE(Math.floor(shifted / TWO_32), offset);
  target.writeUInt32BE(shifted % TWO_32, offset + 4);
}

export function readTimestamp(source: Buffer, offset: number): number {
  return source.readUInt32BE(offset) * TWO_32 + source.readUInt32BE(offset + 4) - TIMESTAMP_OFFSET;
}

export function encodeTimestamp(timestampMs: number): Buffer {
  const out = Buffer.allocUnsafe(TIMESTAMP_BYTES);
  writeTimestamp(out, 0, timestampMs);
  return out;
}

/** Produces sequence numbers that sort in insertion order, also across store restarts. */
export class SequenceGenerator {
  private counter = 0;
  private epochMs: number;

  constructor(now: number = Date.now()) {
    this.epochMs = now;
  }

  writeNext(target: Buffer, offset: number): void {
    if (this.counter >= TWO_32) {
      // 4 billion puts in one open: move the epoch forward so order and uniqueness hold
      this.epochMs += 1;
      this.counter = 0;
    }
    target.writeUIntBE(this.epochMs, offset, 6);
    target.writeUInt32BE(this.counter++, offset + 6);
  }
}

/**
 * The suffix of stores that keep one record per key and timestamp: every put of an equal
 * key and timestamp gets the same stored key, so the last one wins (as in Kafka Streams).
 */
export const NO_SEQUENCE: Pick<SequenceGenerator, 'writeNext'> = {
  writeNext(target: Buffer, offset: number): void {
    target.fill(0, offset, offset + SEQUENCE_BYTES);
  },
};

export function windowKey(
  key: Buffer,
  timestampMs: number,
  sequence: Pick<SequenceGenerator, 'writeNext'>,
): Buffer {
  const out = Buffer.allocUnsafe(LENGTH_BYTES + key.length + SUFFIX_BYTES);
  out.writeUInt32BE(key.length, 0);
  key.copy(out, LENGTH_BYTES);
  writeTimestamp(out, LENGTH_BYTES + key.length, timestampMs);
  sequence.writeNext(out, LENGTH_BYTES + key.length + TIMESTAMP_BYTES);
  return out;
}

/** `[gte, lt)` covering every entry of `key` with from <= timestamp <= to. */
export function windowKeyRange(key: Buffer, fromMs: number, toMs: number): { gte: Buffer; lt: Buffer } {
  const bound = (timestamp: number) => {
    const out = Buffer.allocUnsafe(LENGTH_BYTES + key.length + TIMESTAMP_BYTES);
    out.writeUInt32BE(key.length, 0);
    key.copy(out, LENGTH_BYTES);
    writeTimestamp(out, LENGTH_BYTES + key.length, timestamp);
    return out;
  };
  return { gte: bound(fromMs), lt: bound(toMs + 1) };
}

export function windowKeyTimestamp(storeKey: Buffer): number {
  return readTimestamp(storeKey, storeKey.length - SUFFIX_BYTES);
}

export function windowKeyUserKey(storeKey: Buffer): Buffer {
  if (storeKey.length < LENGTH_BYTES + SUFFIX_BYTES) throw new Error('not a window store key: too short');
  const length = storeKey.readUInt32BE(0);
  if (length !== storeKey.length - LENGTH_BYTES - SUFFIX_BYTES) {
    throw new Error(
      `not a window store key: length prefix ${length} does not match ${storeKey.length} bytes`,
    );
  }
  return storeKey.subarray(LENGTH_BYTES, LENGTH_BYTES + length);
}

/** The smallest buffer greater than every buffer starting with `prefix` (null: no bound). */
export function prefixEnd(prefix: Buffer): Buffer | null {
  const out = Buffer.from(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 0xff) {
      out[i] = out[i]! + 1;
      return out.subarray(0, i + 1);
    }
  }
  return null;
}
