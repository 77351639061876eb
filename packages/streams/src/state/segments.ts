/**
 * Segment maths of window stores, as Kafka Streams does it: a window store keeps
 * `retentionMs` of stream time, split into segments of `segmentIntervalMs`; a segment
 * is dropped whole once every timestamp it can hold has expired.
 */

/** Kafka Streams' floor for the segment interval of window stores. */
export const MIN_SEGMENT_INTERVAL_MS = 60_000;

/** max(retention / 2, 60 s), Kafka Streams' default for persistent window stores. */
export function segmentIntervalMs(retentionMs: number): number {
  return Math.max(Math.floor(retentionMs / 2), MIN_SEGMENT_INTERVAL_MS);
}

export function segmentIdOf(timestampMs: number, intervalMs: number): number {
  return Math.floor(timestampMs / intervalMs);
}

/** The oldest timestamp a store still holds at `streamTimeMs`: older ones are expired. */
export function minLiveTimestamp(streamTimeMs: number, retentionMs: number): number {
  return streamTimeMs - retentionMs + 1;
}

export function isExpired(timestampMs: number, streamTimeMs: number, retentionMs: number): boolean {
  return timestampMs < minLiveTimestamp(streamTimeMs, retentionMs);
}

/** Segments with a smaller id hold only expired timestamps and can be dropped whole. */
export function minLiveSegmentId(streamTimeMs: number, retentionMs: number, intervalMs: number): number {
  return segmentIdOf(minLiveTimestamp(streamTimeMs, retentionMs), intervalMs);
}

/** Upper bound of live segments of one store: what the per-segment layout keeps open. */
export function maxLiveSegments(retentionMs: number): number {
  return Math.ceil(retentionMs / segmentIntervalMs(retentionMs)) + 1;
}
