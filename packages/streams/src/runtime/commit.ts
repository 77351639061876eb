import type { AdminPort, ConsumerPort, ProducerPort } from '../client/ports';
import type { StreamsConfig } from '../config/schema';
import type { StreamsEventMap, StreamsEvents } from '../observability/events';
import { taskIdToString } from '../types/index';
import type { TaskRecordCollector } from './record-collector';
import type { StreamTask } from './task/stream-task';

export interface CommittableTask {
  readonly task: StreamTask;
  readonly collector: TaskRecordCollector;
  /** The task's own transactional producer under exactly_once_v2; the shared one otherwise. */
  readonly producer: ProducerPort;
}

export interface CommitDeps {
  config: Pick<StreamsConfig, 'applicationId' | 'processingGuarantee'>;
  producer: ProducerPort;
  consumer: ConsumerPort;
  admin: AdminPort;
  events: StreamsEvents;
}

/**
 * exactly_once_v2: a task's transaction failed to commit and was aborted (or its producer
 * was fenced). What it processed since its last commit is gone from Kafka's view, so its
 * local state cannot be trusted either: the thread is replaced, the task restored, and
 * processing resumes from the committed offsets.
 */
export class TransactionAbortedError extends Error {
  override readonly name = 'TransactionAbortedError';
}

/**
 * The one place the commit order lives (DESIGN rule 5), as Kafka Streams at-least-once:
 * 1. flush the stores: their caches write back to LevelDB and send to the changelogs;
 * 2. flush the producer and await every ack (outputs, dead letters, changelogs);
 * 3. commit the processed offsets: never one whose outputs are not acknowledged;
 * 4. checkpoint the changelog offsets the flushed state corresponds to.
 * The caller holds the processing lock, so no record is half-processed meanwhile.
 */
export async function commitTasks(
  tasks: readonly CommittableTask[],
  deps: CommitDeps,
  reason: StreamsEventMap['commit']['reason'],
): Promise<void> {
  if (deps.config.processingGuarantee === 'exactly_once_v2') return commitTransactions(tasks, deps, reason);
  const t0 = performance.now();
  await Promise.all(tasks.map(({ task }) => task.state.flush()));
  const t1 = performance.now();
  await deps.producer.flush();
  const t2 = performance.now();
  const offsets = tasks.flatMap(({ task }) => task.uncommittedOffsets());
  await deps.consumer.commit(offsets);
  for (const { task } of tasks) task.markCommitted(offsets);
  const t3 = performance.now();
  for (const { task, collector } of tasks) {
    const changelogOffsets = await collector.changelogOffsets(deps.admin);
    await task.state.checkpoint(changelogOffsets);
  }
  const t4 = performance.now();
  deps.events.emit('commit', {
    durationMs: t4 - t0,
    producerFlushMs: t2 - t1,
    // checkpointing is store work: counted with the store flush so the parts add up
    storeFlushMs: t1 - t0 + (t4 - t3),
    offsetCommitMs: t3 - t2,
    tasks: tasks.length,
    reason,
  });
}

/**
 * The same order under exactly_once_v2, per task and in its transaction: flush the stores ->
 * flush the task's producer (every output and changelog record of the transaction acked) ->
 * the input offsets into the transaction -> commit it. Checkpoints are written only when
 * the task closes cleanly (shutdown): during processing local state may run ahead of the
 * last committed transaction, so after a crash it is wiped and restored (read committed).
 */
async function commitTransactions(
  tasks: readonly CommittableTask[],
  deps: CommitDeps,
  reason: StreamsEventMap['commit']['reason'],
): Promise<void> {
  const t0 = performance.now();
  await Promise.all(tasks.map(({ task }) => task.state.flush()));
  const t1 = performance.now();
  await Promise.all(
    tasks.map(async ({ task, producer }) => {
      const offsets = task.uncommittedOffsets();
      const started = performance.now();
      try {
        await producer.commitTransaction!(deps.config.applicationId, offsets);
      } catch (e) {
        const why = (e as Error).message;
        await producer.abortTransaction?.().catch(() => undefined);
        deps.events.emit('transaction.aborted', { taskId: task.id, reason: why });
        throw new TransactionAbortedError(`task ${taskIdToString(task.id)}: transaction aborted: ${why}`, {
          cause: e,
        });
      }
      task.markCommitted(offsets);
      deps.events.emit('transaction.committed', { taskId: task.id, durationMs: performance.now() - started });
    }),
  );
  const t2 = performance.now();
  if (reason === 'shutdown') {
    for (const { task, collector } of tasks)
      await task.state.checkpoint(await collector.changelogOffsets(deps.admin));
  }
  const t3 = performance.now();
  deps.events.emit('commit', {
    durationMs: t3 - t0,
    // the transaction commit includes the producer flush: it is reported as such
    producerFlushMs: t2 - t1,
    storeFlushMs: t1 - t0 + (t3 - t2),
    offsetCommitMs: 0,
    tasks: tasks.length,
    reason,
  });
}
