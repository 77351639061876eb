import { createTaskState } from './create-task-state';
import type { TaskStateFactory } from './task-state';

/** Stores on LevelDB with restore and checkpoints: what KafkaStreams uses unless told otherwise. */
export function defaultTaskStateFactory(): Promise<TaskStateFactory> {
  return Promise.resolve((options) => createTaskState(options));
}
