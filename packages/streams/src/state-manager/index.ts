export { createTaskState, taskDirectory } from './create-task-state';
export type { TaskStateExtras } from './create-task-state';
export { inProcessTaskState } from './in-process-task-state';
export type { TaskState, TaskStateOptions, TaskStateFactory } from './task-state';
export type { ChangelogReader } from '../restore/changelog-reader';
