import {
  RebalanceInProgressError,
  type AdminPort,
  type BatchControl,
  type ConsumerListener,
  type ConsumerPort,
  type FetchedBatch,
  type ProducerPort,
  type TopicPartition,
} from '../client/ports';
import type { StreamsConfig } from '../config/schema';
import type { StreamsEvents, StreamsState } from '../observability/events';
import type { ChangelogReader, TaskStateFactory } from '../state/task-state';
import type { Topology } from '../topology/topology';
import { taskIdToString, type TaskId } from '../types/index';
import { commitTasks } from './commit';
import type { TopicPlan } from './internal-topics';
import { Mutex, Signal } from './mutex';
import { createTaskParts, type TaskParts } from './task-factory';
import type { StreamTask } from './task/stream-task';
import { tpKey } from './task/types';

interface TaskEntry {
  readonly id: TaskId;
  readonly partitions: readonly TopicPartition[];
  readonly parts: TaskParts;
  /** Undefined while its stores open (restore). */
  task: StreamTask | undefined;
  lost: boolean;
}

export interface StreamThreadDeps {
  topology: Topology;
  config: StreamsConfig;
  plan: TopicPlan;
  consumer: ConsumerPort;
  producer: ProducerPort;
  admin: AdminPort;
  events: StreamsEvents;
  taskStateFactory: TaskStateFactory;
  changelogReader: ChangelogReader | null;
  onStateChange(state: Extract<StreamsState, 'REBALANCING' | 'RUNNING'>): void;
  /** Called once, off the processing path, when the thread cannot go on. */
  onFatal(error: Error): void;
}

/** Records processed per task before the loop looks at commits, other tasks and punctuations. */
const RUN_LENGTH = 100;

/**
 * The stream loop: the consumer buffers fetched records into tasks (blocking, with
 * heartbeats, while a partition's buffer is full), and one processing loop runs the
 * tasks and the commit. Processing, commits and rebalances take turns through one lock,
 * so a commit never sees a half-processed record; fetching and heartbeats never wait
 * for processing.
 */
export class StreamThread implements ConsumerListener {
  private readonly tasks = new Map<string, TaskEntry>();
  private readonly byPartition = new Map<string, TaskEntry>();
  /** Fetch position per partition: the offset after the last buffered record. */
  private readonly fetchPosition = new Map<string, string>();
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

  constructor(private readonly deps: StreamThreadDeps) {}

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
    await this.lock.run(async () => {
      for (const entry of this.tasks.values()) await this.closeEntry(entry, clean);
      this.tasks.clear();
    });
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
      partitions: this.byPartition.size,
    });
    this.deps.onStateChange('REBALANCING');
  }

  onAssigned(partitions: readonly TopicPartition[]): void {
    if (this.stopping) return;
    this.revoking = false;
    this.rebalancing = true;
    const { plan, consumer } = this.deps;
    const wanted = new Map<string, TopicPartition[]>();
    for (const tp of partitions) {
      const sub = plan.subtopologyOfTopic.get(tp.topic);
      if (sub === undefined) continue;
      const key = `${sub}_${tp.partition}`;
      wanted.set(key, [...(wanted.get(key) ?? []), tp]);
    }
    const lost: TaskEntry[] = [];
    for (const [key, entry] of this.tasks) {
      if (wanted.has(key)) continue;
      entry.lost = true;
      this.tasks.delete(key);
      for (const tp of entry.partitions) {
        this.byPartition.delete(tpKey(tp.topic, tp.partition));
        this.fetchPosition.delete(tpKey(tp.topic, tp.partition));
      }
      lost.push(entry);
    }
    const added: TaskEntry[] = [];
    for (const [key, tps] of wanted) {
      if (this.tasks.has(key)) {
        // A new generation fetches from the committed offset; continue after what is buffered instead.
        for (const tp of tps) {
          const position = this.fetchPosition.get(tpKey(tp.topic, tp.partition));
          if (position !== undefined) consumer.seek(tp, position);
        }
        continue;
      }
      const [sub, partition] = key.split('_').map(Number) as [number, number];
      const id = { subtopology: sub, partition };
      const entry: TaskEntry = {
        id,
        partitions: tps,
        parts: this.taskParts(id, tps),
        task: undefined,
        lost: false,
      };
      this.tasks.set(key, entry);
      for (const tp of tps) this.byPartition.set(tpKey(tp.topic, tp.partition), entry);
      // no records for a task until its stores are open
      consumer.pause(tps);
      added.push(entry);
    }
    this.reconciling = this.reconciling
      .then(() => this.reconcile(lost, added, partitions.length))
      .catch((e: unknown) => this.fail(e));
  }

  onCrash(error: Error): void {
    this.fail(error);
  }

  async onBatch(batch: FetchedBatch, control: BatchControl): Promise<string | null> {
    const key = tpKey(batch.topic, batch.partition);
    const entry = this.byPartition.get(key);
    const task = entry?.task;
    if (!entry || !task || entry.lost || this.stopping || control.isStale() || batch.records.length === 0)
      return null;
    const position = this.fetchPosition.get(key);
    const from = position === undefined ? undefined : BigInt(position);
    const records =
      from === undefined ? batch.records : batch.records.filter((r) => BigInt(r.offset) >= from);
    const last = batch.records[batch.records.length - 1]!.offset;
    if (records.length) {
      task.addRecords(batch.topic, batch.partition, records);
      this.fetchPosition.set(key, (BigInt(last) + 1n).toString());
      this.work.notify();
    }
    const { events, config } = this.deps;
    events.emit('consumer.fetch', {
      topic: batch.topic,
      partition: batch.partition,
      records: records.length,
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

  private taskParts(id: TaskId, partitions: readonly TopicPartition[]): TaskParts {
    const { topology, config, events, producer, taskStateFactory, changelogReader } = this.deps;
    return createTaskParts({
      topology,
      config,
      events,
      producer,
      taskStateFactory,
      changelogReader,
      taskId: id,
      partitions,
    });
  }

  /** The group is rebalancing and this generation can still commit: do it before rejoining. */
  private async commitOnRevocation(): Promise<void> {
    this.onRevoking();
    try {
      await this.lock.run(() => this.commitAll('revocation'));
    } catch (e) {
      console.warn(`[streams] commit on revocation failed: ${(e as Error).message}`);
    }
  }

  private async reconcile(lost: TaskEntry[], added: TaskEntry[], partitionCount: number): Promise<void> {
    await this.lock.run(async () => {
      for (const entry of lost) await this.closeEntry(entry, false);
      // Retained tasks commit what they processed in the last generation, with the new one.
      if (this.tasks.size > added.length) {
        await this.commitAll('revocation').catch((e: unknown) =>
          console.warn(`[streams] commit after rebalance failed: ${(e as Error).message}`),
        );
      }
    });
    this.rebalancing = false;
    this.work.notify();
    // Opening (restoring) happens off the lock: the other tasks keep processing.
    await Promise.all(
      added.map(async (entry) => {
        const task = await entry.parts.open();
        if (entry.lost) {
          await task.close();
          await entry.parts.state.close(false);
          return;
        }
        entry.task = task;
        this.deps.consumer.resume(entry.partitions);
      }),
    );
    if (this.rebalancing || this.stopping) return;
    this.deps.events.emit('consumer.rebalance', {
      phase: 'assigned',
      durationMs: performance.now() - this.rebalanceStartedAt,
      partitions: partitionCount,
    });
    this.deps.onStateChange('RUNNING');
  }

  private async closeEntry(entry: TaskEntry, clean: boolean): Promise<void> {
    entry.lost = true;
    if (!entry.task) return; // still opening: reconcile closes it when open() resolves
    await entry.task.close();
    await entry.parts.state.close(clean && entry.task.uncommittedOffsets().length === 0);
  }

  private async commitAll(reason: 'interval' | 'revocation' | 'shutdown'): Promise<void> {
    const ready = [...this.tasks.values()].filter((e) => e.task && !e.lost);
    await commitTasks(
      ready.map((e) => ({ task: e.task!, collector: e.parts.collector })),
      this.deps,
      reason,
    );
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

  /**
   * Runs every ready task for up to RUN_LENGTH records. Tasks run side by side, each in its
   * own order: while one waits for LevelDB (a cache miss, a write-back) the others process,
   * which keeps the thread pool busy and the loop from idling.
   */
  private async processRun(): Promise<number> {
    const runs = [...this.tasks.values()].map(async (entry) => {
      const task = entry.task;
      if (!task) return 0;
      let processed = 0;
      for (let i = 0; i < RUN_LENGTH && !this.rebalancing && !entry.lost && !this.stopping; i++) {
        if (!(await task.processNext())) break;
        processed++;
      }
      if (!entry.lost) await task.punctuateWallClock();
      return processed;
    });
    // every task has stopped before the lock is released, also when one failed
    const results = await Promise.allSettled(runs);
    let processed = 0;
    for (const r of results) {
      if (r.status === 'rejected') throw r.reason;
      processed += r.value;
    }
    return processed;
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
    return [...this.tasks.values()].map((e) => taskIdToString(e.id));
  }
}
