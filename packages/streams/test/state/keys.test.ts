import { describe, expect, it } from 'vitest';
import {
  encodeTimestamp,
  prefixEnd,
  readTimestamp,
  SequenceGenerator,
  windowKey,
  windowKeyRange,
  windowKeyTimestamp,
  windowKeyUserKey,
} from '../../src/state/keys';

describe('store key layouts', () => {
  it('timestamps encode in sortable order, negatives included', () => {
    const values = [-5, -1, 0, 1, 255, 2 ** 32, 1_700_000_000_000];
    const encoded = values.map(encodeTimestamp);
    expect([...encoded].sort(Buffer.compare)).toEqual(encoded);
    expect(values.map((v, i) => readTimestamp(encoded[i]!, 0))).toEqual(values);
  });

  it('window keys round-trip key and timestamp, and duplicates sort in insertion order', () => {
    const seq = new SequenceGenerator(1_000);
    const a = windowKey(Buffer.from('k'), 42, seq);
    const b = windowKey(Buffer.from('k'), 42, seq);
    expect(windowKeyTimestamp(a)).toBe(42);
    expect(windowKeyUserKey(a).toString()).toBe('k');
    expect(Buffer.compare(a, b)).toBe(-1);
  });

  it('a later store open sorts after an earlier one for the same key and timestamp', () => {
    const early = windowKey(Buffer.from('k'), 1, new SequenceGenerator(1_000));
    const late = windowKey(Buffer.from('k'), 1, new SequenceGenerator(1_001));
    expect(Buffer.compare(early, late)).toBe(-1);
  });

  it('a range covers exactly one key and its time bounds, never a longer key with the same prefix', () => {
    const seq = new SequenceGenerator();
    const { gte, lt } = windowKeyRange(Buffer.from('a'), 10, 20);
    const inRange = (k: Buffer) => Buffer.compare(k, gte) >= 0 && Buffer.compare(k, lt) < 0;
    expect(inRange(windowKey(Buffer.from('a'), 10, seq))).toBe(true);
    expect(inRange(windowKey(Buffer.from('a'), 20, seq))).toBe(true);
    expect(inRange(windowKey(Buffer.from('a'), 9, seq))).toBe(false);
    expect(inRange(windowKey(Buffer.from('a'), 21, seq))).toBe(false);
    expect(inRange(windowKey(Buffer.from('ab'), 15, seq))).toBe(false);
    expect(inRange(windowKey(Buffer.from('b'), 15, seq))).toBe(false);
  });

  it('prefixEnd is the first buffer past every extension of the prefix', () => {
    expect(prefixEnd(Buffer.from([1, 2]))).toEqual(Buffer.from([1, 3]));
    expect(prefixEnd(Buffer.from([1, 0xff]))).toEqual(Buffer.from([2]));
    expect(prefixEnd(Buffer.from([0xff]))).toBeNull();
  });
});
