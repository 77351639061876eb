import type { DropReason } from '../../observability/events';
import type { ProcessorContext } from '../api';

/** Kafka Streams' dropped-records sensor: one `record.dropped` event per dropped record (or window). */
export function recordDropped(context: ProcessorContext<unknown, unknown>, reason: DropReason): void {
  context.events.emit('record.dropped', {
    taskId: context.taskId,
    processor: context.processorName,
    reason,
    count: 1,
  });
}
