import { join } from 'node:path';
import type { StateStore } from '../state/api';
import type { TaskState, TaskStateFactory, TaskStateOptions } from './task-state';
import { taskIdToString } from '../types/index';

/**
 * The simplest TaskState: builds each store, inits it with the task's changelog sink,
 * flushes and closes it. No restore and no checkpoint file; used when no factory from
 * the state package is available, and by the TopologyTestDriver by default.
 */
export const inProcessTaskState: TaskStateFactory = (options: TaskStateOptions): TaskState => {
  const stores = new Map<string, StateStore>();
  const taskDir = join(options.config.stateDir, options.config.applicationId, taskIdToString(options.taskId));
  return {
    stores,
    async open() {
      for (const builder of options.storeBuilders) {
        const store = builder.build();
        await store.init({
          applicationId: options.config.applicationId,
          taskId: options.taskId,
          taskDir,
          events: options.events,
          changelog: builder.loggingEnabled ? options.changelog : null,
        });
        stores.set(builder.name, store);
      }
    },
    async flush() {
      for (const store of stores.values()) await store.flush();
    },
    async checkpoint() {},
    async observeStreamTime() {},
    async close() {
      for (const store of stores.values()) await store.close();
      stores.clear();
    },
  };
};
