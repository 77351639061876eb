import {
  RebalanceInProgressError,
  type BatchControl,
  type ConsumerListener,
  type FetchedBatch,
  type TopicPartition,
} from '../client/ports';
import type { StreamsState } from '../observability/events';
import { Mutex, Signal } from './mutex';
import { TaskManager, type AssignmentChange, type TaskManagerDeps } from './task-manager';

export interface StreamThreadDeps extends TaskManagerDeps {
  onStateChange(state: Extract<StreamsState, 'REBALANCING' | 'RUNNING'>): void;
  /** Called once, off the processing path, when the thread cannot go on. */
  onFatal(error: Error): void;
}

/**
 * The stream loop: the consumer buffers fetched records into tasks (blocking, with
 * heartbeats, while a partition's buffer is full), and one processing loop runs the
 * tasks and the commit. Processing, commits and rebalances take turns through one lock,
 * so a commit never sees a half-processed record; fetching and heartbeats never wait
 * for processing.
 */
export class StreamThread implements ConsumerListener {
  private readonly taskManager: TaskManager;
  private readonly lock = new Mutex();
  private readonly work = new Signal();
  private readonly drained = new Signal();
  private rebalancing = true;
  /** Between a detected rebalance and the next assignment (it can be seen twice: by us, then by kafkajs). */
  private revoking = false;
  private rebalanceStartedAt = performance.now();
  private stopping = false;
  private failed = false;
  private lastCommit = performance.now();
  private reconciling: Promise<void> = Promise.resolve();
  private loopDone: Promise<void> = Promise.resolve();

  constructor(private readonly deps: StreamThreadDeps) {
    this.taskManager = new TaskManager(deps);
  }

  async start(): Promise<void> {
    const { consumer, plan } = this.deps;
    await consumer.connect();
    await consumer.subscribe(plan.sourceTopics);
    this.loopDone = this.loop();
    await consumer.run(this);
  }

  /** Stops processing; commits (when asked and possible) and closes tasks and clients. */
  async stop(commit: boolean): Promise<void> {
    this.stopping = true;
    this.work.notify();
    this.drained.notify();
    await this.loopDone;
    await this.reconciling;
    let clean = false;
    if (commit) {
      try {
        await this.lock.run(() => this.commitAll('shutdown'));
        clean = true;
      } catch (e) {
        console.error(
          `[streams] final commit failed; uncommitted records will be processed again: ${(e as Error).message}`,
        );
      }
    }
    await this.lock.run(() => this.taskManager.closeAll(clean));
    await this.deps.consumer.disconnect().catch(() => undefined);
  }

  // ---- consumer listener ----

  onRevoking(): void {
    if (this.stopping || this.revoking) return;
    this.revoking = true;
    this.rebalancing = true;
    this.rebalanceStartedAt = performance.now();
    this.deps.events.emit('consumer.rebalance', {
      phase: 'revoked',
      durationMs: 0,
      partitions: this.taskManager.ownedPartitions(),
    });
    this.deps.onStateChange('REBALANCING');
  }

  onAssigned(partitions: readonly TopicPartition[]): void {
    if (this.stopping) return;
    this.revoking = false;
    this.rebalancing = true;
    const change = this.taskManager.assign(partitions);
    this.reconciling = this.reconciling
      .then(() => this.reconcile(change, partitions.length))
      .catch((e: unknown) => this.fail(e));
  }

  onCrash(error: Error): void {
    this.fail(error);
  }

  async onBatch(batch: FetchedBatch, control: BatchControl): Promise<string | null> {
    const entry = this.taskManager.entryOf(batch.topic, batch.partition);
    const task = entry?.task;
    if (!entry || !task || entry.lost || this.stopping || control.isStale() || batch.records.length === 0)
      return null;
    const last = batch.records[batch.records.length - 1]!.offset;
    const buffered = this.taskManager.buffer(entry, batch);
    if (buffered) this.work.notify();
    const { events, config } = this.deps;
    events.emit('consumer.fetch', {
      topic: batch.topic,
      partition: batch.partition,
      records: buffered,
      bytes: batch.bytes,
    });
    const lag = Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n));
    task.setFetchLag(batch.topic, batch.partition, lag);
    events.emit('consumer.lag', { topic: batch.topic, partition: batch.partition, lag });
    // kafkajs heartbeats (throttled to heartbeatIntervalMs) right after this returns; beating it
    // to the call means a rebalance is usually seen here, where the ending generation can still commit.
    await this.heartbeat(control);
    // Back-pressure: hold this partition's fetches while its buffer is full, heartbeating meanwhile.
    while (
      task.bufferedOn(batch.topic, batch.partition) > config.consumer.maxPollRecords &&
      !entry.lost &&
      !this.stopping &&
      control.isRunning()
    ) {
      await this.drained.wait(config.consumer.heartbeatIntervalMs);
      await this.heartbeat(control);
    }
    return last;
  }

  private async heartbeat(control: BatchControl): Promise<void> {
    try {
      await control.heartbeat();
    } catch (e) {
      if (e instanceof RebalanceInProgressError && !this.stopping) await this.commitOnRevocation();
      throw e;
    }
  }

  // ---- internals ----

  /** The group is rebalancing and this generation can still commit: do it before rejoining. */
  private async commitOnRevocation(): Promise<void> {
    this.onRevoking();
    try {
      await this.lock.run(() => this.commitAll('revocation'));
    } catch (e) {
      console.warn(`[streams] commit on revocation failed: ${(e as Error).message}`);
    }
  }

  private async reconcile(change: AssignmentChange, partitionCount: number): Promise<void> {
    await this.lock.run(() => this.taskManager.closeLost(change));
    this.rebalancing = false;
    this.work.notify();
    // Opening (restoring) happens off the lock: the other tasks keep processing.
    await this.taskManager.openAdded(change);
    if (this.rebalancing || this.stopping) return;
    this.deps.events.emit('consumer.rebalance', {
      phase: 'assigned',
      durationMs: performance.now() - this.rebalanceStartedAt,
      partitions: partitionCount,
    });
    this.deps.onStateChange('RUNNING');
  }

  private async commitAll(reason: 'interval' | 'revocation' | 'shutdown'): Promise<void> {
    await this.taskManager.commitAll(reason);
    this.lastCommit = performance.now();
  }

  private async loop(): Promise<void> {
    const interval = this.deps.config.commitIntervalMs;
    while (!this.stopping) {
      try {
        if (!this.rebalancing && performance.now() - this.lastCommit >= interval) {
          await this.lock.run(() => this.commitAll('interval'));
        }
        let processed = 0;
        if (!this.rebalancing) {
          processed = await this.lock.run(() => this.processRun());
        }
        if (processed > 0) this.drained.notify();
        else
          await this.work.wait(Math.min(100, Math.max(1, interval - (performance.now() - this.lastCommit))));
      } catch (e) {
        this.fail(e);
        return;
      }
    }
  }

  private processRun(): Promise<number> {
    return this.taskManager.processRun(() => this.rebalancing || this.stopping);
  }

  private fail(e: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.stopping = true;
    const error = e instanceof Error ? e : new Error(String(e));
    // off the processing path: the handler awaits stop(), which awaits this loop
    setImmediate(() => this.deps.onFatal(error));
  }

  /** Task ids currently owned (for tests and logs). */
  ownedTasks(): string[] {
    return this.taskManager.ownedTasks();
  }
}
