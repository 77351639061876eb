import type { StreamsConfig } from '../config/schema';
import type { StreamsEvents } from '../observability/events';
import type { Headers } from '../types/index';
import { taskIdToString } from '../types/index';
import type { FailedRecord, FailureKind, OutgoingRecord, RecordFailureHandler } from './task/types';

/** Header names of dead-letter records: those of Kafka Streams' KIP-1034 dead-letter queue. */
export const DEAD_LETTER_HEADERS = {
  exception: '__streams.errors.exception',
  message: '__streams.errors.message',
  topic: '__streams.errors.topic',
  partition: '__streams.errors.partition',
  offset: '__streams.errors.offset',
  /** `deserialization` or `processing`: which handler sent it. */
  reason: '__streams.errors.reason',
  /**
   * Set when the original key and value could not go with the copy (it would pass
   * producer.maxRequestSize): the copy has the error headers only, and this header says
   * how many bytes the original key and value had.
   */
  payloadOmitted: '__streams.errors.payload.omitted.bytes',
} as const;

/** Error messages longer than this are cut in the header: a dead letter must stay small enough to write. */
const MAX_MESSAGE_BYTES = 4096;

/** How long a dead-letter topic found unwritable is not asked again (each ask can take seconds). */
const UNWRITABLE_RECHECK_MS = 60_000;

/** Thrown when a handler is logAndFail: names the record and the cause. */
export class RecordFailedError extends Error {
  override readonly name = 'RecordFailedError';
  constructor(
    readonly kind: FailureKind,
    readonly record: FailedRecord,
    override readonly cause: Error,
  ) {
    super(
      `${kind} of ${record.topic}-${record.partition}@${record.raw.offset} failed in task ${taskIdToString(record.taskId)}: ` +
        `${cause.message} (the ${kind === 'deserialization' ? 'deserializationExceptionHandler' : 'processingExceptionHandler'} is logAndFail; ` +
        `set it to logAndContinue to send such records to the dead-letter topic)`,
    );
  }
}

export function deadLetterTopicOf(config: StreamsConfig): string {
  return config.deadLetterTopic ?? `${config.applicationId}-dead-letters`;
}

/** The dead-letter copy: the original key, value, timestamp and headers, plus the error headers. */
export function deadLetterRecord(
  topic: string,
  kind: FailureKind,
  record: FailedRecord,
  error: Error,
): OutgoingRecord {
  const headers: Headers = {
    ...record.raw.headers,
    [DEAD_LETTER_HEADERS.exception]: Buffer.from(error.name),
    [DEAD_LETTER_HEADERS.message]: Buffer.from(error.message).subarray(0, MAX_MESSAGE_BYTES),
    [DEAD_LETTER_HEADERS.topic]: Buffer.from(record.topic),
    [DEAD_LETTER_HEADERS.partition]: Buffer.from(String(record.partition)),
    [DEAD_LETTER_HEADERS.offset]: Buffer.from(record.raw.offset),
    [DEAD_LETTER_HEADERS.reason]: Buffer.from(kind),
  };
  return { topic, key: record.raw.key, value: record.raw.value, timestamp: record.raw.timestamp, headers };
}

/** The copy without the original key and value, for a record too large to be copied whole. */
function withoutPayload(copy: OutgoingRecord): OutgoingRecord {
  const bytes = (copy.key?.length ?? 0) + (copy.value?.length ?? 0);
  return {
    ...copy,
    key: null,
    value: null,
    headers: { ...copy.headers, [DEAD_LETTER_HEADERS.payloadOmitted]: Buffer.from(String(bytes)) },
  };
}

/**
 * The configured exception handlers: logAndContinue logs, writes the dead letter through
 * `send` (so it is acked before the offset is committed) and reports it; logAndFail throws.
 */
export function createRecordFailureHandler(options: {
  config: StreamsConfig;
  events: StreamsEvents;
  send: (record: OutgoingRecord) => Promise<void>;
  /** Why the dead-letter topic cannot be written to, if it cannot (ProducerPort.topicError). */
  topicError?: (topic: string) => Promise<Error | undefined>;
  log?: (message: string) => void;
}): RecordFailureHandler {
  const { config, events, send } = options;
  const log = options.log ?? ((m: string) => console.warn(m));
  const topic = deadLetterTopicOf(config);
  // a dead letter that cannot be written must not stop the service either (a send to a
  // missing topic would fail the commit, and under exactly_once_v2 abort the transaction on
  // every restart): the topic is checked first, and while it is unwritable records are
  // skipped, counted, and logged once per recheck
  let unwritable: { error: Error; until: number } | undefined;
  const whyNotWritable = async (): Promise<Error | undefined> => {
    if (unwritable && performance.now() < unwritable.until) return unwritable.error;
    const error = await options.topicError?.(topic);
    if (error && !unwritable)
      log(
        `[streams] dead-letter topic ${topic} cannot be written (${error.message}); failed records are skipped and counted`,
      );
    unwritable = error ? { error, until: performance.now() + UNWRITABLE_RECHECK_MS } : undefined;
    return error;
  };
  return {
    async onFailure(kind, record, error) {
      const policy =
        kind === 'deserialization'
          ? config.deserializationExceptionHandler
          : config.processingExceptionHandler;
      if (policy === 'logAndFail') throw new RecordFailedError(kind, record, error);
      const where = `${record.topic}-${record.partition}@${record.raw.offset}`;
      const report = (outcome: { payloadOmitted: boolean } | { notWritten: string }) =>
        events.emit('record.dead-lettered', {
          taskId: record.taskId,
          topic: record.topic,
          partition: record.partition,
          offset: record.raw.offset,
          reason: kind,
          error: error.message,
          ...outcome,
        });
      const notWritable = await whyNotWritable();
      if (notWritable) {
        log(
          `[streams] ${kind} failed for ${where}: ${error.message}; skipped, not dead-lettered (${notWritable.message})`,
        );
        report({ notWritten: notWritable.message });
        return;
      }
      log(`[streams] ${kind} failed for ${where}: ${error.message}; sent to ${topic}`);
      const copy = deadLetterRecord(topic, kind, record, error);
      let payloadOmitted = false;
      try {
        await send(copy);
      } catch (tooLarge) {
        // the producer refuses a record it can never send (larger than maxRequestSize): the
        // service must not stop on it, nor stop again on every restart, so the copy goes
        // without the payload, and says so
        log(
          `[streams] dead letter of ${where} cannot be written whole ` +
            `(${(tooLarge as Error).message}); writing it without its key and value`,
        );
        await send(withoutPayload(copy));
        payloadOmitted = true;
      }
      report({ payloadOmitted });
    },
  };
}
