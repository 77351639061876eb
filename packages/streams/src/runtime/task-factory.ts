import type { ProducerPort } from '../client/ports';
import type { StreamsConfig } from '../config/schema';
import type { StreamsEvents } from '../observability/events';
import type { ChangelogReader } from '../restore/changelog-reader';
import type { TaskState, TaskStateFactory } from '../state-manager/task-state';
import type { Topology } from '../topology/topology';
import type { TaskId } from '../types/index';
import { TaskRecordCollector } from './record-collector';
import { createRecordFailureHandler } from './record-failure';
import { StreamTask } from './task/stream-task';
import type { TopicPartition } from './task/types';

export interface TaskParts {
  readonly collector: TaskRecordCollector;
  /** Where the task's records go: its own transactional producer, or the shared one. */
  readonly producer: ProducerPort;
  readonly state: TaskState;
  /** Opens the stores (restoring them) and initializes the processors. */
  open(): Promise<StreamTask>;
  /** After the task closed: disconnects a producer of its own. */
  release(): Promise<void>;
}

/** Wires one task: its TaskState (stores, restore), record collector and failure handler. */
export function createTaskParts(options: {
  topology: Topology;
  config: StreamsConfig;
  events: StreamsEvents;
  producer: ProducerPort;
  /** The producer is the task's own (exactly_once_v2): connected on open, disconnected on release. */
  ownsProducer?: boolean;
  taskStateFactory: TaskStateFactory;
  changelogReader: ChangelogReader | null;
  taskId: TaskId;
  partitions: readonly TopicPartition[];
}): TaskParts {
  const { topology, config, events, producer, taskId } = options;
  const sub = topology.subtopologies()[taskId.subtopology]!;
  const collector = new TaskRecordCollector(config.applicationId, taskId.partition, producer);
  const state = options.taskStateFactory({
    config,
    taskId,
    storeBuilders: sub.storeNames.map((s) => topology.storeBuilders.get(s)!),
    events,
    changelog: collector,
    changelogReader: options.changelogReader,
  });
  return {
    collector,
    state,
    producer,
    async open() {
      if (options.ownsProducer) await producer.connect();
      await state.open();
      const task = new StreamTask({
        taskId,
        config,
        subtopology: sub,
        partitions: options.partitions,
        events,
        collector,
        state,
        failureHandler: createRecordFailureHandler({
          config,
          events,
          send: (r) => collector.send(r),
          ...(producer.topicError ? { topicError: (t: string) => producer.topicError!(t) } : {}),
        }),
      });
      await task.init();
      return task;
    },
    async release() {
      if (options.ownsProducer) await producer.disconnect().catch(() => undefined);
    },
  };
}
