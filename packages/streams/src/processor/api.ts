import type { StreamsConfig } from '../config/schema';
import type { StreamsEvents } from '../observability/events';
import type { StateStore } from '../state/api';
import type { RecordMetadata, StreamRecord, TaskId } from '../types/index';

export type PunctuationType = 'stream-time' | 'wall-clock-time';

export interface Cancellable {
  cancel(): void;
}

/**
 * What a processor sees of its task. It never sees Kafka: the runtime (or the
 * TopologyTestDriver) implements this.
 */
export interface ProcessorContext<KOut = unknown, VOut = unknown> {
  readonly applicationId: string;
  readonly taskId: TaskId;
  readonly events: StreamsEvents;
  /** The name of the processor node this context belongs to. */
  readonly processorName: string;
  /** Sends a record to all children, or to the named child only. */
  forward(record: StreamRecord<KOut, VOut>, childName?: string): Promise<void>;
  /** The source record being processed; null inside a punctuation. */
  recordMetadata(): RecordMetadata | null;
  /** The task's stream time: the largest timestamp it has processed (-1 before any). */
  currentStreamTimeMs(): number;
  currentSystemTimeMs(): number;
  /** The application's config (Kafka Streams' appConfigs()). */
  appConfigs(): StreamsConfig;
  getStateStore<S extends StateStore>(name: string): S;
  schedule(
    intervalMs: number,
    type: PunctuationType,
    punctuator: (timestampMs: number) => Promise<void> | void,
  ): Cancellable;
}

export interface Processor<KIn = unknown, VIn = unknown, KOut = unknown, VOut = unknown> {
  init?(context: ProcessorContext<KOut, VOut>): void | Promise<void>;
  process(record: StreamRecord<KIn, VIn>): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** A new processor instance per task: processors keep per-task state. */
export type ProcessorSupplier<KIn = unknown, VIn = unknown, KOut = unknown, VOut = unknown> = () => Processor<
  KIn,
  VIn,
  KOut,
  VOut
>;
