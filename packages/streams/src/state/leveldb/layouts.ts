import { stateStoreConfigSchema, type StreamsConfig } from '../../config/schema';
import type { StateStoreContext } from '../api';
import { isTaskStoreContext } from '../store-context';
import type { StorageLayout } from './layout';
import { governorFor, MemoryGovernor } from './memory-governor';
import { PerSegmentLayout } from './per-segment-layout';
import { PerTaskLayout } from './per-task-layout';

/** The layout `config.stateStore.layout` names, for one task directory. */
export function createLayout(taskDir: string, config: StreamsConfig): StorageLayout {
  const governor = governorFor(config);
  return config.stateStore.layout === 'per-task'
    ? new PerTaskLayout(taskDir, config.stateStore, governor)
    : new PerSegmentLayout(taskDir, config.stateStore, governor);
}

/** The task's layout, or (plain context) a per-segment layout of the store's own, with defaults. */
export function layoutOf(context: StateStoreContext): { layout: StorageLayout; owned: boolean } {
  if (isTaskStoreContext(context)) return { layout: context.layout, owned: false };
  const defaults = stateStoreConfigSchema.parse({});
  return {
    layout: new PerSegmentLayout(context.taskDir, defaults, new MemoryGovernor(defaults)),
    owned: true,
  };
}
