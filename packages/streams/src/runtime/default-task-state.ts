import type { TaskStateFactory } from '../state/task-state';
import { inProcessTaskState } from './in-process-task-state';

let cached: Promise<TaskStateFactory> | undefined;

/**
 * The state package's `createTaskState` (stores with restore and checkpoints) when it is
 * there, else the in-process one. Looked up at run time so that the runtime does not
 * depend on which state implementation is built in.
 */
export function defaultTaskStateFactory(): Promise<TaskStateFactory> {
  cached ??= (async () => {
    const path = '../state/index';
    try {
      const mod = (await import(/* @vite-ignore */ path)) as { createTaskState?: TaskStateFactory };
      if (typeof mod.createTaskState === 'function') return mod.createTaskState;
    } catch {
      // not built yet: fall through
    }
    return inProcessTaskState;
  })();
  return cached;
}
