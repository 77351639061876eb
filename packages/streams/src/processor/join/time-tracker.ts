import { taskIdToString, type TaskId } from '../../types/index';

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
   * Unknown (-Infinity) until the first scan: after a restart the outer store may hold
   * records restored from the changelog that no put of this process has seen.
   */
  minTimeMs = Number.NEGATIVE_INFINITY;
  nextEmitWallClockMs = 0;

  constructor(readonly emitIntervalMs: number) {}

  advance(timestampMs: number): void {
    if (timestampMs > this.streamTimeMs) this.streamTimeMs = timestampMs;
  }

  updateMinTime(timestampMs: number): void {
    if (timestampMs < this.minTimeMs) this.minTimeMs = timestampMs;
  }
}

/** One tracker per task, shared by the join's two processors of that task. */
export class JoinTimeTrackers {
  private readonly trackers = new Map<string, { tracker: JoinTimeTracker; users: number }>();

  constructor(private readonly emitIntervalMs: number) {}

  acquire(taskId: TaskId): JoinTimeTracker {
    const id = taskIdToString(taskId);
    let entry = this.trackers.get(id);
    if (!entry)
      this.trackers.set(id, (entry = { tracker: new JoinTimeTracker(this.emitIntervalMs), users: 0 }));
    entry.users++;
    return entry.tracker;
  }

  release(taskId: TaskId): void {
    const id = taskIdToString(taskId);
    const entry = this.trackers.get(id);
    if (entry && --entry.users <= 0) this.trackers.delete(id);
  }
}
