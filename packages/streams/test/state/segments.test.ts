import { describe, expect, it } from 'vitest';
import {
  isExpired,
  maxLiveSegments,
  minLiveSegmentId,
  segmentIdOf,
  segmentIntervalMs,
} from '../../src/state/segments';

describe('segment maths (Kafka Streams: interval = max(retention / 2, 60 s))', () => {
  it.each([
    [1_000, 60_000],
    [120_000, 60_000],
    [300_000, 150_000],
    [86_400_000, 43_200_000],
  ])('retention %i ms -> interval %i ms', (retention, interval) => {
    expect(segmentIntervalMs(retention)).toBe(interval);
  });

  it('a record at stream time - retention is expired, one ms later is live', () => {
    expect(isExpired(900, 1_000, 100)).toBe(true);
    expect(isExpired(901, 1_000, 100)).toBe(false);
  });

  it('segments below the one holding the oldest live timestamp hold only expired records', () => {
    const interval = segmentIntervalMs(300_000);
    expect(segmentIdOf(-1, interval)).toBe(-1);
    expect(minLiveSegmentId(600_000, 300_000, interval)).toBe(segmentIdOf(300_001, interval));
    expect(maxLiveSegments(300_000)).toBe(3);
  });
});
