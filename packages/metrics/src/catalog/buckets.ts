/**
 * Histogram buckets. A quantile from a Prometheus histogram is only as precise as
 * the bucket it falls in, so each range steps 1-2-5 per decade across the values
 * that matter for tuning (a p99 moving from 40 ms to 80 ms must show).
 */

/** 1, 2, 5 × 10^k from `from` up to `to` (both powers of ten), in the same unit. */
function decades(from: number, to: number): number[] {
  const out: number[] = [];
  for (let base = from; base < to * 1.0001; base *= 10) {
    for (const step of [1, 2, 5]) {
      const value = Number((base * step).toPrecision(3));
      if (value <= to * 1.0001) out.push(value);
    }
  }
  return out;
}

/** Record timestamp to processing/output: 1 ms to 10 minutes (joins wait for windows to close). */
export const E2E_LATENCY_SECONDS = [...decades(0.001, 10), 20, 30, 60, 120, 300, 600];

/** Processing one record through a task: 10 µs to 10 s. */
export const PROCESS_LATENCY_SECONDS = decades(0.00001, 10);

/** Commits, produce requests, flushes: 0.1 ms to 1 minute. */
export const REQUEST_LATENCY_SECONDS = [...decades(0.0001, 10), 20, 30, 60];

/** Time a record waits in the producer for linger/batch.size: 0.1 ms to 10 s. */
export const QUEUE_TIME_SECONDS = decades(0.0001, 10);

/** LevelDB operations: 1 µs to 1 s. */
export const STORE_LATENCY_SECONDS = decades(0.000001, 1);

/** Rebalances: 10 ms to 10 minutes. */
export const REBALANCE_SECONDS = [...decades(0.01, 100), 300, 600];

/** Restoring a store: 10 ms to 1 hour. */
export const RESTORE_SECONDS = [...decades(0.01, 1000), 1800, 3600];

/** Records per fetch or per produce request: 1 to 100k. */
export const RECORD_COUNTS = decades(1, 100_000);

/** Bytes per produce request (batch.size defaults to 16 KiB): 64 B to 16 MiB, ×4 steps. */
export const BATCH_BYTES = Array.from({ length: 10 }, (_, i) => 64 * 4 ** i);
