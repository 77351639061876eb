import type { AdminPort, ConsumerPort, FetchedBatch, ProducerPort, TopicPartition } from '../client/ports';
import type { StreamsConfig } from '../config/schema';
import type { StreamsEventMap, StreamsEvents } from '../observability/events';
import type { ChangelogReader } from '../restore/changelog-reader';
import type { TaskStateFactory } from '../state-manager/task-state';
import type { Topology } from '../topology/topology';
import { taskIdToString, type TaskId } from '../types/index';
import { commitTasks } from './commit';
import type { TopicPlan } from './internal-topics';
import { createTaskParts, type TaskParts } from './task-factory';
import type { StreamTask } from './task/stream-task';
import { tpKey } from './task/types';

/** Records processed per task before the loop looks at commits, other tasks and punctuations. */
const RUN_LENGTH = 100;

export interface TaskEntry {
  readonly id: TaskId;
  readonly partitions: readonly TopicPartition[];
  readonly parts: TaskParts;
  /** Undefined while its stores open (restore). */
  task: StreamTask | undefined;
  lost: boolean;
}

export interface TaskManagerDeps {
  topology: Topology;
  config: StreamsConfig;
  plan: TopicPlan;
  consumer: ConsumerPort;
  producer: ProducerPort;
  admin: AdminPort;
  events: StreamsEvents;
  taskStateFactory: TaskStateFactory;
  changelogReader: ChangelogReader | null;
  /** exactly_once_v2: makes each task's transactional producer. */
  transactionalProducer?: (transactionalId: string) => ProducerPort;
}

/** What an assignment changed: tasks to close and tasks to open. */
export interface AssignmentChange {
  readonly lost: TaskEntry[];
  readonly added: TaskEntry[];
}

/**
 * The tasks of one stream thread (Kafka Streams' TaskManager): which tasks the current
 * assignment gives it, creating and closing them, where each partition's fetch goes on,
 * committing all of them, and running them. It takes no lock of its own: the stream
 * thread serializes processing, commits and reconciliation.
 */
export class TaskManager {
  private readonly tasks = new Map<string, TaskEntry>();
  private readonly byPartition = new Map<string, TaskEntry>();
  /** Fetch position per partition: the offset after the last buffered record. */
  private readonly fetchPosition = new Map<string, string>();

  constructor(private readonly deps: TaskManagerDeps) {}

  get size(): number {
    return this.tasks.size;
  }

  /**
   * Takes a new assignment: tasks no longer assigned are marked lost and forgotten, new
   * ones are created with their partitions paused until their stores are open, and retained
   * ones continue fetching after what they buffered (a new generation would start at the
   * committed offset).
   */
  assign(partitions: readonly TopicPartition[]): AssignmentChange {
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
      consumer.pause(tps);
      added.push(entry);
    }
    return { lost, added };
  }

  /** Closes lost tasks and commits the retained ones (under the new generation). */
  async closeLost(change: AssignmentChange): Promise<void> {
    for (const entry of change.lost) await this.closeEntry(entry, false);
    if (this.tasks.size > change.added.length) {
      await this.commitAll('revocation').catch((e: unknown) =>
        console.warn(`[streams] commit after rebalance failed: ${(e as Error).message}`),
      );
    }
  }

  /** Opens (restores) new tasks side by side and resumes their partitions; a task lost meanwhile is closed. */
  async openAdded(change: AssignmentChange): Promise<void> {
    await Promise.all(
      change.added.map(async (entry) => {
        const task = await entry.parts.open();
        if (entry.lost) {
          await task.close();
          await entry.parts.state.close(false);
          await entry.parts.release();
          return;
        }
        if (this.deps.config.processingGuarantee === 'exactly_once_v2') await this.seekToCommitted(entry);
        entry.task = task;
        this.deps.consumer.resume(entry.partitions);
      }),
    );
  }

  /**
   * exactly_once_v2: where a task starts. kafkajs asks for committed offsets without
   * KIP-447's require_stable, so right after a crash it can get the offsets from before the
   * last committed transaction while that transaction's markers are still being written,
   * and process its records again. Opening the task initialized its producer, which
   * completes (or aborts) the previous transaction of the task's transactional id first; the
   * offsets read now are stable, and the task's partitions start there.
   */
  private async seekToCommitted(entry: TaskEntry): Promise<void> {
    const { admin, consumer, config } = this.deps;
    if (!admin.committedOffsets) return;
    for (const topic of new Set(entry.partitions.map((tp) => tp.topic))) {
      const committed = await admin.committedOffsets(config.applicationId, topic);
      for (const tp of entry.partitions) {
        const offset = tp.topic === topic ? committed.get(tp.partition) : undefined;
        if (offset !== undefined) consumer.seek(tp, offset);
      }
    }
  }

  /** The open task that owns a partition, if any. */
  entryOf(topic: string, partition: number): TaskEntry | undefined {
    return this.byPartition.get(tpKey(topic, partition));
  }

  /**
   * Buffers a fetched batch into its task, skipping what was buffered before (a seek can
   * fetch it again); returns the number of records buffered.
   */
  buffer(entry: TaskEntry, batch: FetchedBatch): number {
    const key = tpKey(batch.topic, batch.partition);
    const position = this.fetchPosition.get(key);
    const from = position === undefined ? undefined : BigInt(position);
    const records =
      from === undefined ? batch.records : batch.records.filter((r) => BigInt(r.offset) >= from);
    if (records.length) {
      entry.task!.addRecords(batch.topic, batch.partition, records);
      const last = batch.records[batch.records.length - 1]!.offset;
      this.fetchPosition.set(key, (BigInt(last) + 1n).toString());
    }
    return records.length;
  }

  async commitAll(reason: StreamsEventMap['commit']['reason']): Promise<void> {
    const ready = [...this.tasks.values()].filter((e) => e.task && !e.lost);
    await commitTasks(
      ready.map((e) => ({ task: e.task!, collector: e.parts.collector, producer: e.parts.producer })),
      this.deps,
      reason,
    );
  }

  /**
   * Runs every ready task for up to RUN_LENGTH records. Tasks run side by side, each in its
   * own order: while one waits for LevelDB (a cache miss, a write-back) the others process,
   * which keeps the thread pool busy and the loop from idling.
   */
  async processRun(shouldStop: () => boolean): Promise<number> {
    const runs = [...this.tasks.values()].map(async (entry) => {
      const task = entry.task;
      if (!task) return 0;
      let processed = 0;
      for (let i = 0; i < RUN_LENGTH && !shouldStop() && !entry.lost; i++) {
        if (!(await task.processNext())) break;
        processed++;
      }
      if (!entry.lost) await task.punctuateWallClock();
      return processed;
    });
    // every task has stopped before the caller releases its lock, also when one failed
    const results = await Promise.allSettled(runs);
    let processed = 0;
    for (const r of results) {
      if (r.status === 'rejected') throw r.reason;
      processed += r.value;
    }
    return processed;
  }

  async closeAll(clean: boolean): Promise<void> {
    for (const entry of this.tasks.values()) await this.closeEntry(entry, clean);
    this.tasks.clear();
    this.byPartition.clear();
    this.fetchPosition.clear();
  }

  ownedPartitions(): number {
    return this.byPartition.size;
  }

  /** Task ids currently owned (the assignor's user data, tests and logs). */
  ownedTasks(): string[] {
    return [...this.tasks.values()].map((e) => taskIdToString(e.id));
  }

  private async closeEntry(entry: TaskEntry, clean: boolean): Promise<void> {
    entry.lost = true;
    if (!entry.task) return; // still opening: openAdded closes it when open() resolves
    await entry.task.close();
    await entry.parts.state.close(clean && entry.task.uncommittedOffsets().length === 0);
    await entry.parts.release();
  }

  private taskParts(id: TaskId, partitions: readonly TopicPartition[]): TaskParts {
    const { topology, config, events, taskStateFactory, changelogReader, transactionalProducer } = this.deps;
    const eos = config.processingGuarantee === 'exactly_once_v2';
    if (eos && !transactionalProducer)
      throw new Error('exactly_once_v2 needs a client with transactional producers');
    // exactly_once_v2 on kafkajs: one producer per task, fenced by its transactional id
    // (kafkajs cannot send the consumer group's metadata that KIP-447 needs for one per thread)
    const producer = eos
      ? transactionalProducer!(`${config.applicationId}-${taskIdToString(id)}`)
      : this.deps.producer;
    return createTaskParts({
      topology,
      config,
      events,
      producer,
      ownsProducer: eos,
      taskStateFactory,
      changelogReader,
      taskId: id,
      partitions,
    });
  }
}
