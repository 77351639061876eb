import type { Headers } from '../../types/index';

/**
 * Size estimates in the Kafka record format v2 (the one the broker stores), so that
 * `batchSize`, `maxRequestSize` and `bufferMemory` mean what they mean for the Java
 * producer. Uncompressed sizes: with gzip the wire bytes are smaller, so batches hold
 * at least as many records as Java's would at the same batch.size.
 */

/** Fixed header of a record batch (base offset .. record count), v2 format. */
export const RECORD_BATCH_OVERHEAD = 61;

/**
 * Offset and timestamp deltas are varints relative to the batch's first record; we do
 * not know them at append time, so we reserve 2 bytes for the offset delta (up to 8191
 * records) and 3 for the timestamp delta (about 17 minutes), which covers real batches.
 */
const DELTAS_ALLOWANCE = 2 + 3;
const ATTRIBUTES = 1;

export interface SizedRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Headers;
}

/** Bytes of a zigzag varint, as the record format encodes lengths and counts. */
export function varintSize(value: number): number {
  let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
  let bytes = 1;
  while (zigzag >= 0x80) {
    zigzag = Math.floor(zigzag / 0x80);
    bytes++;
  }
  return bytes;
}

function bytesField(buffer: Buffer | null): number {
  // a null key or value is written as length -1 and no bytes
  return buffer === null ? varintSize(-1) : varintSize(buffer.length) + buffer.length;
}

/** One record's size inside a batch: length prefix + attributes + deltas + key + value + headers. */
export function estimateRecordSize(record: SizedRecord): number {
  let body = ATTRIBUTES + DELTAS_ALLOWANCE + bytesField(record.key) + bytesField(record.value);
  const headers = record.headers ? Object.entries(record.headers) : [];
  body += varintSize(headers.length);
  for (const [name, value] of headers) {
    const nameBytes = Buffer.byteLength(name, 'utf8');
    body += varintSize(nameBytes) + nameBytes + bytesField(value);
  }
  return varintSize(body) + body;
}
