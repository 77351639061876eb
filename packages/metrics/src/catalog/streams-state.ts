import { RESTORE_SECONDS, STORE_LATENCY_SECONDS } from './buckets';
import { streams } from './streams-spec';

/** The runtime's state-store, restore and client-state families (the end of streamsMetrics). */
export const stateMetrics = {
  // state stores
  storeOperationLatency: streams(
    'store',
    'histogram',
    'streamtune_store_operation_latency_seconds',
    'Latency of a state store operation (put, fetch, delete, flush).',
    ['store', 'op'],
    STORE_LATENCY_SECONDS,
  ),
  storeInstances: streams(
    'store',
    'gauge',
    'streamtune_store_open_instances',
    'LevelDB instances open for a store of a task.',
    ['task', 'store', 'layout'],
  ),
  storeSegments: streams(
    'store',
    'gauge',
    'streamtune_store_segments',
    'Live segments of a windowed store of a task.',
    ['task', 'store', 'layout'],
  ),
  storeDiskBytes: streams(
    'store',
    'gauge',
    'streamtune_store_disk_usage_bytes',
    'On-disk size of a store of a task.',
    ['task', 'store', 'layout'],
  ),
  storeMemoryBytes: streams(
    'store',
    'gauge',
    'streamtune_store_approximate_memory_bytes',
    "LevelDB's approximate memory usage (leveldb.approximate-memory-usage) of a store of a task.",
    ['task', 'store', 'layout'],
  ),
  storeCacheBytes: streams(
    'store',
    'gauge',
    'streamtune_store_cache_bytes',
    'What the record cache of a store of a task holds (stateStore.cacheMaxBytes is the limit of all of them together).',
    ['task', 'store', 'layout'],
  ),
  storeCacheMaxBytes: streams(
    'store',
    'gauge',
    'streamtune_store_cache_max_bytes',
    "The record caches' limit (stateStore.cacheMaxBytes), shared by all stores of the process.",
    [],
  ),
  storeFootprintBytes: streams(
    'store',
    'gauge',
    'streamtune_store_footprint_bytes',
    "Memory the footprint formula predicts for the configured store layout and its open instances: the stores' memory budget.",
    ['layout'],
  ),
  storeFootprintInstances: streams(
    'store',
    'gauge',
    'streamtune_store_footprint_instances',
    'Store instances the footprint formula counted for the configured layout.',
    ['layout'],
  ),

  // restore
  restoredRecords: streams(
    'restore',
    'counter',
    'streamtune_restore_records_total',
    'Changelog records restored into state stores.',
    ['store'],
  ),
  restoreRemaining: streams(
    'restore',
    'gauge',
    'streamtune_restore_remaining_records',
    'Changelog records left to restore for a store of a task (0 once restored).',
    ['task', 'store'],
  ),
  restoreDuration: streams(
    'restore',
    'histogram',
    'streamtune_restore_duration_seconds',
    'Time to restore a store of a task from its changelog.',
    ['store'],
    RESTORE_SECONDS,
  ),
  restoreRate: streams(
    'restore',
    'gauge',
    'streamtune_restore_rate_records_per_second',
    'Records restored per second for a store of a task, averaged since its restore started.',
    ['task', 'store'],
  ),
  restoresActive: streams(
    'restore',
    'gauge',
    'streamtune_restores_active',
    'Store restores in progress.',
    [],
  ),

  // state
  state: streams(
    'state',
    'gauge',
    'streamtune_state',
    'Streams client state: 1 for the current state, 0 for the others.',
    ['state'],
  ),
  stateTransitions: streams(
    'state',
    'counter',
    'streamtune_state_transitions_total',
    'Streams client state changes, by the state entered.',
    ['state'],
  ),
} as const;
