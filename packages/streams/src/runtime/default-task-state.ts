import { createTaskState } from '../state/index';
import type { TaskStateFactory } from '../state/task-state';

/** Stores on LevelDB with restore and checkpoints: what KafkaStreams uses unless told otherwise. */
export function defaultTaskStateFactory(): Promise<TaskStateFactory> {
  return Promise.resolve((options) => createTaskState(options));
}
