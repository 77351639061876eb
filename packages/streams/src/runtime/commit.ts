import type { AdminPort, ConsumerPort, ProducerPort } from '../client/ports';
import type { StreamsEventMap, StreamsEvents } from '../observability/events';
import type { TaskRecordCollector } from './record-collector';
import type { StreamTask } from './task/stream-task';

export interface CommittableTask {
  readonly task: StreamTask;
  readonly collector: TaskRecordCollector;
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
  deps: { producer: ProducerPort; consumer: ConsumerPort; admin: AdminPort; events: StreamsEvents },
  reason: StreamsEventMap['commit']['reason'],
): Promise<void> {
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
