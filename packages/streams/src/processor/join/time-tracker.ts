import { taskIdToString, type TaskId } from '../../types/index';

const LONG_MAX = 2n ** 63n - 1n;

/**
 * Stream time shared by both sides of one join in one task (Kafka Streams' TimeTracker):
 * the largest timestamp either side has seen, the smallest timestamp waiting in the
 * outer store (so the store is scanned only when something may be due), and the wall
 * clock time of the next allowed scan.
 */
export class JoinTimeTracker {
  /** -1 before any record, like Kafka's NO_TIMESTAMP. */
  streamTimeMs = -1;
  /**
   * +Infinity (Kafka's Long.MAX_VALUE) until a record is put in the outer store; a scan
   * sets it to the timestamp of the last entry it looked at. As in Kafka Streams, records
   * restored into the outer store after a restart wait until this process puts one.
   */
  minTimeMs = Number.POSITIVE_INFINITY;
  /** Wall-clock time (ms) before which no scan runs; 0 lets the first one run. */
  nextEmitWallClockMs = 0;

  /** Set by the join processors at init, from StreamJoined or the app config. */
  constructor(public emitIntervalMs: number) {}

  advance(timestampMs: number): void {
    if (timestampMs > this.streamTimeMs) this.streamTimeMs = timestampMs;
  }

  updateMinTime(timestampMs: number): void {
    if (timestampMs < this.minTimeMs) this.minTimeMs = timestampMs;
  }

  /**
   * Kafka Streams' `minTime + offset < streamTime` in Java long arithmetic. With no
   * minimum (Long.MAX_VALUE) a positive offset overflows to a negative sum, so the check
   * passes and a scan of the (empty) outer store runs, taking the wall-clock slot; a zero
   * or negative offset does not overflow and the check fails.
   */
  mayHaveClosed(offsetMs: number): boolean {
    if (this.minTimeMs !== Number.POSITIVE_INFINITY) return this.minTimeMs + offsetMs < this.streamTimeMs;
    return BigInt.asIntN(64, LONG_MAX + BigInt(offsetMs)) < BigInt(this.streamTimeMs);
  }
}

/** One tracker per task, shared by the join's two processors of that task. */
export class JoinTimeTrackers {
  private readonly trackers = new Map<string, { tracker: JoinTimeTracker; users: number }>();

  /** @param emitIntervalMs the join's own interval (StreamJoined); undefined takes the app config's */
  constructor(readonly emitIntervalMs: number | undefined) {}

  acquire(taskId: TaskId): JoinTimeTracker {
    const id = taskIdToString(taskId);
    let entry = this.trackers.get(id);
    if (!entry)
      this.trackers.set(
        id,
        (entry = { tracker: new JoinTimeTracker(this.emitIntervalMs ?? 1_000), users: 0 }),
      );
    entry.users++;
    return entry.tracker;
  }

  release(taskId: TaskId): void {
    const id = taskIdToString(taskId);
    const entry = this.trackers.get(id);
    if (entry && --entry.users <= 0) this.trackers.delete(id);
  }
}
