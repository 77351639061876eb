import type { TaskId } from '../types/index';

/**
 * Everything the runtime reports, as typed events. `@streamtune/metrics` subscribes
 * and owns the metrics library; the runtime never imports one. Listeners run
 * synchronously on the processing path, so they must be cheap (a counter increment,
 * a histogram observation), never I/O.
 */
export interface StreamsEventMap {
  /** One input record went through its task's topology. */
  'record.processed': { taskId: TaskId; topic: string; latencyMs: number };
  /** A record reached a processor; e2e latency = wall clock minus the record's timestamp. */
  'record.e2e': { taskId: TaskId; processor: string; e2eLatencyMs: number };
  /** A record was written to an output topic by a sink. */
  'record.sent': { taskId: TaskId; processor: string; topic: string; e2eLatencyMs: number };
  /** A record was dropped on purpose: null key/value, expired window, late, ... */
  'record.dropped': { taskId: TaskId; processor: string; reason: DropReason; count: number };
  /** A record that failed to deserialize or to process, written to the dead-letter topic. */
  'record.dead-lettered': {
    taskId: TaskId | null;
    topic: string;
    partition: number;
    offset: string;
    reason: 'deserialization' | 'processing';
    error: string;
    /** The copy went without the original key and value (too large to write whole). */
    payloadOmitted?: boolean;
    /**
     * The copy could not be written at all (the dead-letter topic is missing or not
     * writable): why. The record is skipped all the same, so the service goes on.
     */
    notWritten?: string;
  };
  /** Stream time of a task advanced. */
  'task.stream-time': { taskId: TaskId; streamTimeMs: number };
  /** exactly_once_v2: a task's transaction committed (outputs, changelogs and offsets). */
  'transaction.committed': { taskId: TaskId; durationMs: number };
  /**
   * exactly_once_v2: a task's transaction was aborted; the thread restarts, the task's state
   * is restored and processing resumes from the committed offsets.
   */
  'transaction.aborted': { taskId: TaskId; reason: string };
  /** The thread was replaced after a failure it can recover from (an aborted transaction, a fenced producer). */
  'thread.restarted': { reason: string };
  /** A commit finished; the parts add up to durationMs. */
  commit: {
    durationMs: number;
    producerFlushMs: number;
    storeFlushMs: number;
    offsetCommitMs: number;
    tasks: number;
    reason: 'interval' | 'revocation' | 'shutdown' | 'requested';
  };
  /** One batch of records came back from a fetch. */
  'consumer.fetch': { topic: string; partition: number; records: number; bytes: number };
  /** Consumer lag of a partition, from its high watermark. */
  'consumer.lag': { topic: string; partition: number; lag: number };
  'consumer.rebalance': { phase: 'revoked' | 'assigned'; durationMs: number; partitions: number };
  /** One produce request was acknowledged (or failed). */
  'producer.request': {
    topic: string;
    partition: number;
    records: number;
    bytes: number;
    latencyMs: number;
    /** How long the batch's oldest record waited for linger/batch before it was sent. */
    queueTimeMs: number;
    error?: string;
  };
  'producer.buffer': { bufferedBytes: number; inFlightRequests: number };
  'store.operation': {
    taskId: TaskId;
    store: string;
    op: 'put' | 'fetch' | 'delete' | 'flush';
    latencyMs: number;
  };
  /** Periodic snapshot of a store's physical state. */
  'store.stats': {
    taskId: TaskId;
    store: string;
    layout: string;
    instances: number;
    segments: number;
    diskBytes: number;
    approximateMemoryBytes: number;
    /** What the store's record cache holds (0 when caching is off). */
    cacheBytes?: number;
  };
  /**
   * The configured layout's computed memory footprint (see state/footprint): open LevelDB
   * instances plus stateStore.cacheMaxBytes; `cacheBytes` is what the caches hold now.
   */
  'store.footprint': {
    layout: string;
    bytes: number;
    instances: number;
    cacheBytes: number;
    cacheMaxBytes: number;
  };
  'restore.start': { taskId: TaskId; store: string; changelog: string; partition: number; toRestore: number };
  /** `restored`: records restored so far for this store of this task (a running total), `remaining`: left to restore. */
  'restore.batch': { taskId: TaskId; store: string; restored: number; remaining: number };
  /** `restored`: all records restored for this store of this task. */
  'restore.end': { taskId: TaskId; store: string; restored: number; durationMs: number };
  'state.change': { from: StreamsState; to: StreamsState };
}

export type DropReason = 'null-key-or-value' | 'expired-window' | 'late' | 'filtered-by-handler';

export type StreamsState =
  'CREATED' | 'REBALANCING' | 'RUNNING' | 'PENDING_SHUTDOWN' | 'NOT_RUNNING' | 'PENDING_ERROR' | 'ERROR';

export type StreamsEventName = keyof StreamsEventMap;
export type StreamsListener<E extends StreamsEventName> = (event: StreamsEventMap[E]) => void;

/** A tiny typed emitter: no Node EventEmitter so listeners stay typed and emission stays cheap. */
export class StreamsEvents {
  private readonly listeners = new Map<StreamsEventName, Array<(event: never) => void>>();

  on<E extends StreamsEventName>(name: E, listener: StreamsListener<E>): () => void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener as (event: never) => void);
    this.listeners.set(name, list);
    return () => {
      const current = this.listeners.get(name);
      if (current)
        this.listeners.set(
          name,
          current.filter((l) => l !== listener),
        );
    };
  }

  /** True when someone listens: lets hot paths skip building an event nobody reads. */
  has(name: StreamsEventName): boolean {
    return (this.listeners.get(name)?.length ?? 0) > 0;
  }

  emit<E extends StreamsEventName>(name: E, event: StreamsEventMap[E]): void {
    const list = this.listeners.get(name);
    if (!list) return;
    for (const listener of list) (listener as StreamsListener<E>)(event);
  }
}
