import {
  BATCH_BYTES,
  E2E_LATENCY_SECONDS,
  PROCESS_LATENCY_SECONDS,
  QUEUE_TIME_SECONDS,
  REBALANCE_SECONDS,
  RECORD_COUNTS,
  REQUEST_LATENCY_SECONDS,
  RESTORE_SECONDS,
  STORE_LATENCY_SECONDS,
} from './buckets';
import type { MetricGroup, MetricSpec, MetricType } from './types';

/** Keeps label names as literal types so families only accept their own labels. */
function streams<const L extends string>(
  group: MetricGroup,
  type: MetricType,
  name: string,
  help: string,
  labels: readonly L[],
  buckets?: readonly number[],
): MetricSpec<L> {
  return { name, type, help, labels, source: 'streams', group, ...(buckets ? { buckets } : {}) };
}

/**
 * The families instrumentStreams() maintains from the runtime's observability events.
 * `task` is the task id as Kafka Streams prints it: `<subtopology>_<partition>`.
 */
export const streamsMetrics = {
  // processing
  recordsProcessed: streams(
    'processing',
    'counter',
    'streamtune_records_processed_total',
    'Input records that went through their task topology.',
    ['task', 'topic'],
  ),
  processLatency: streams(
    'processing',
    'histogram',
    'streamtune_process_latency_seconds',
    'Time to process one input record through its task topology, including forwards.',
    ['task'],
    PROCESS_LATENCY_SECONDS,
  ),
  recordE2eLatency: streams(
    'processing',
    'histogram',
    'streamtune_record_e2e_latency_seconds',
    "End-to-end latency at a processor: wall clock when the record reached it minus the record's timestamp.",
    ['processor'],
    E2E_LATENCY_SECONDS,
  ),
  outputE2eLatency: streams(
    'processing',
    'histogram',
    'streamtune_output_e2e_latency_seconds',
    "End-to-end latency of records written to an output topic: wall clock at the sink minus the record's timestamp.",
    ['topic'],
    E2E_LATENCY_SECONDS,
  ),
  droppedRecords: streams(
    'processing',
    'counter',
    'streamtune_dropped_records_total',
    'Records dropped on purpose (null key or value, expired window, late, filtered by a handler).',
    ['task', 'processor', 'reason'],
  ),
  deadLetters: streams(
    'processing',
    'counter',
    'streamtune_dead_letters_total',
    'Records that failed to deserialize or to process and were written to the dead-letter topic, by source topic.',
    ['topic', 'reason'],
  ),
  deadLettersPayloadOmitted: {
    ...streams(
      'processing',
      'counter',
      'streamtune_dead_letters_payload_omitted_total',
      'Dead letters written without the original key and value, because the whole copy would pass producer.maxRequestSize.',
      [],
    ),
    countsOnlyWhen: 'a dead letter is too large to copy whole',
  },
  streamTimeLag: streams(
    'processing',
    'gauge',
    'streamtune_stream_time_lag_seconds',
    "Wall clock minus the task's stream time (the largest record timestamp it has seen), at scrape time.",
    ['task'],
  ),

  // commit
  commits: streams(
    'commit',
    'counter',
    'streamtune_commits_total',
    'Commits (flush sinks and changelogs, await producer acks, commit offsets, write checkpoints), by reason.',
    ['reason'],
  ),
  transactionsCommitted: {
    ...streams(
      'commit',
      'counter',
      'streamtune_transactions_committed_total',
      'exactly_once_v2: task transactions committed (outputs, changelog records and input offsets together).',
      [],
    ),
    countsOnlyWhen: 'exactly_once_v2',
  },
  transactionsAborted: {
    ...streams(
      'commit',
      'counter',
      'streamtune_transactions_aborted_total',
      'exactly_once_v2: task transactions aborted (a failed commit or a fenced producer); each restarts the stream thread.',
      [],
    ),
    countsOnlyWhen: 'a transaction aborts',
  },
  transactionLatency: {
    ...streams(
      'commit',
      'histogram',
      'streamtune_transaction_commit_latency_seconds',
      "exactly_once_v2: time to commit one task's transaction (its producer flush, the offsets, the commit).",
      [],
      REQUEST_LATENCY_SECONDS,
    ),
    countsOnlyWhen: 'exactly_once_v2',
  },
  processingGuarantee: streams(
    'commit',
    'gauge',
    'streamtune_processing_guarantee',
    'The processing guarantee in effect: 1 for the configured one (at_least_once or exactly_once_v2).',
    ['guarantee'],
  ),
  threadRestarts: {
    ...streams(
      'commit',
      'counter',
      'streamtune_stream_thread_restarts_total',
      'Stream threads replaced after a failure they recover from (an aborted transaction).',
      [],
    ),
    countsOnlyWhen: 'a transaction aborts',
  },
  commitLatency: streams(
    'commit',
    'histogram',
    'streamtune_commit_latency_seconds',
    'Duration of a whole commit.',
    [],
    REQUEST_LATENCY_SECONDS,
  ),
  commitPhaseLatency: streams(
    'commit',
    'histogram',
    'streamtune_commit_phase_latency_seconds',
    'Duration of one phase of a commit: producer_flush, store_flush or offset_commit.',
    ['phase'],
    REQUEST_LATENCY_SECONDS,
  ),
  commitTasks: streams(
    'commit',
    'gauge',
    'streamtune_commit_tasks',
    'Tasks included in the most recent commit.',
    [],
  ),

  // consumer
  consumerFetches: streams(
    'consumer',
    'counter',
    'streamtune_consumer_fetches_total',
    'Record batches returned by fetches (one per topic-partition per fetch response).',
    ['topic'],
  ),
  consumerRecordsPerFetch: streams(
    'consumer',
    'histogram',
    'streamtune_consumer_records_per_fetch',
    'Records in one fetched batch of a topic-partition.',
    [],
    RECORD_COUNTS,
  ),
  consumerRecordsFetched: streams(
    'consumer',
    'counter',
    'streamtune_consumer_records_fetched_total',
    'Records returned by fetches.',
    ['topic'],
  ),
  consumerBytesFetched: streams(
    'consumer',
    'counter',
    'streamtune_consumer_fetched_bytes_total',
    'Bytes of records returned by fetches.',
    ['topic'],
  ),
  consumerLag: streams(
    'consumer',
    'gauge',
    'streamtune_consumer_lag_records',
    "Records between the partition's high watermark and the consumer's position.",
    ['topic', 'partition'],
  ),
  rebalances: streams(
    'consumer',
    'counter',
    'streamtune_consumer_rebalances_total',
    'Rebalance callbacks, by phase (revoked, assigned).',
    ['phase'],
  ),
  rebalanceDuration: streams(
    'consumer',
    'histogram',
    'streamtune_consumer_rebalance_duration_seconds',
    'Time spent in a rebalance callback (revoked: commit and close tasks; assigned: create tasks).',
    ['phase'],
    REBALANCE_SECONDS,
  ),
  assignedPartitions: streams(
    'consumer',
    'gauge',
    'streamtune_consumer_assigned_partitions',
    'Input partitions currently assigned to this instance.',
    [],
  ),

  // producer
  producerRequests: streams(
    'producer',
    'counter',
    'streamtune_producer_requests_total',
    'Produce requests per topic-partition batch, by outcome (success, error).',
    ['topic', 'outcome'],
  ),
  producerRecordsSent: streams(
    'producer',
    'counter',
    'streamtune_producer_records_sent_total',
    'Records acknowledged by the broker.',
    ['topic'],
  ),
  producerBytesSent: streams(
    'producer',
    'counter',
    'streamtune_producer_sent_bytes_total',
    'Bytes of records acknowledged by the broker.',
    ['topic'],
  ),
  producerBatchBytes: streams(
    'producer',
    'histogram',
    'streamtune_producer_batch_size_bytes',
    'Bytes in one produced batch (compare with producer.batchSize).',
    [],
    BATCH_BYTES,
  ),
  producerBatchRecords: streams(
    'producer',
    'histogram',
    'streamtune_producer_batch_records',
    'Records in one produced batch.',
    [],
    RECORD_COUNTS,
  ),
  producerRequestLatency: streams(
    'producer',
    'histogram',
    'streamtune_producer_request_latency_seconds',
    'Time from sending a produce request to its acknowledgement (or failure).',
    [],
    REQUEST_LATENCY_SECONDS,
  ),
  producerQueueTime: streams(
    'producer',
    'histogram',
    'streamtune_producer_queue_time_seconds',
    "Time a batch's oldest record waited for linger/batch size before its request was sent.",
    [],
    QUEUE_TIME_SECONDS,
  ),
  producerBufferedBytes: streams(
    'producer',
    'gauge',
    'streamtune_producer_buffered_bytes',
    'Bytes of records waiting in the producer for a batch to be sent or acknowledged.',
    [],
  ),
  producerInFlightRequests: streams(
    'producer',
    'gauge',
    'streamtune_producer_in_flight_requests',
    'Produce requests sent and not yet acknowledged.',
    [],
  ),

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
