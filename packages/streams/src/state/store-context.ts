import type { StreamsConfig } from '../config/schema';
import type { StateStoreContext } from './api';
import type { StorageLayout } from './leveldb/layout';
import type { Serde } from '../serdes/serde';

/**
 * The context createTaskState gives its stores: the contract's StateStoreContext plus
 * the task's storage layout and the configured default serdes. Stores opened with a
 * plain StateStoreContext fall back to a per-segment layout with default settings.
 */
export interface TaskStoreContext extends StateStoreContext {
  readonly config: StreamsConfig;
  readonly layout: StorageLayout;
  readonly defaultKeySerde: Serde<unknown>;
  readonly defaultValueSerde: Serde<unknown>;
}

export function isTaskStoreContext(context: StateStoreContext): context is TaskStoreContext {
  return 'layout' in context && 'config' in context;
}
