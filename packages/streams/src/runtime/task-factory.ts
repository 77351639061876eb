import type { ProducerPort } from '../client/ports';
import type { StreamsConfig } from '../config/schema';
import type { StreamsEvents } from '../observability/events';
import type { ChangelogReader, TaskState, TaskStateFactory } from '../state/task-state';
import type { Topology } from '../topology/topology';
import type { TaskId } from '../types/index';
import { TaskChangelogSink } from './changelog-sink';
import { createRecordFailureHandler } from './record-failure';
import { StreamTask } from './task/stream-task';
import type { TopicPartition } from './task/types';

export interface TaskParts {
  readonly changelog: TaskChangelogSink;
  readonly state: TaskState;
  /** Opens the stores (restoring them) and initializes the processors. */
  open(): Promise<StreamTask>;
}

/** Wires one task: its TaskState (stores, restore), changelog sink, record collector and failure handler. */
export function createTaskParts(options: {
  topology: Topology;
  config: StreamsConfig;
  events: StreamsEvents;
  producer: ProducerPort;
  taskStateFactory: TaskStateFactory;
  changelogReader: ChangelogReader | null;
  taskId: TaskId;
  partitions: readonly TopicPartition[];
}): TaskParts {
  const { topology, config, events, producer, taskId } = options;
  const sub = topology.subtopologies()[taskId.subtopology]!;
  const changelog = new TaskChangelogSink(config.applicationId, taskId.partition, producer);
  const state = options.taskStateFactory({
    config,
    taskId,
    storeBuilders: sub.storeNames.map((s) => topology.storeBuilders.get(s)!),
    events,
    changelog,
    changelogReader: options.changelogReader,
  });
  const send = (r: Parameters<ProducerPort['send']>[0]) => producer.send(r);
  return {
    changelog,
    state,
    async open() {
      await state.open();
      const task = new StreamTask({
        taskId,
        config,
        subtopology: sub,
        partitions: options.partitions,
        events,
        collector: { send },
        state,
        failureHandler: createRecordFailureHandler({ config, events, send }),
      });
      await task.init();
      return task;
    },
  };
}
