import { describe, expect, it } from 'vitest';
import { estimateRecordSize, varintSize } from '../../../src/client/batching-producer/record-size';

describe('record size estimate (record format v2)', () => {
  it('encodes lengths as zigzag varints', () => {
    expect(varintSize(0)).toBe(1);
    expect(varintSize(-1)).toBe(1);
    expect(varintSize(63)).toBe(1);
    expect(varintSize(64)).toBe(2); // zigzag 128
    expect(varintSize(8191)).toBe(2);
    expect(varintSize(8192)).toBe(3);
  });

  it('counts key, value, headers and the fixed per-record fields', () => {
    const key = Buffer.from('order-1'); // 7
    const value = Buffer.alloc(500);
    // body: attributes 1 + deltas 5 + key 1+7 + value 2+500 + header count 1 = 517; prefix 2
    expect(estimateRecordSize({ key, value })).toBe(519);
    // header "trace" (1+5) with a 3-byte value (1+3) adds 10
    expect(estimateRecordSize({ key, value, headers: { trace: Buffer.from('abc') } })).toBe(529);
  });

  it('charges one byte for a null key or value', () => {
    expect(estimateRecordSize({ key: null, value: null })).toBe(1 + (1 + 5 + 1 + 1 + 1));
  });

  it('measures header names in UTF-8 bytes', () => {
    const ascii = estimateRecordSize({ key: null, value: null, headers: { ab: Buffer.alloc(0) } });
    const umlaut = estimateRecordSize({ key: null, value: null, headers: { ü: Buffer.alloc(0) } });
    expect(umlaut).toBe(ascii); // 'ü' is 2 bytes like 'ab'
  });
});
