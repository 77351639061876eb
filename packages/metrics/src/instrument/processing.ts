import type { Registry } from 'prom-client';
import { streamsMetrics as m } from '../catalog/index';
import { counter, gauge, histogram, seconds, taskLabel } from './families';
import type { Instruments } from './types';

export function processingInstruments(registry: Registry): Instruments {
  const processed = counter(registry, m.recordsProcessed);
  const processLatency = histogram(registry, m.processLatency);
  const recordE2e = histogram(registry, m.recordE2eLatency);
  const outputE2e = histogram(registry, m.outputE2eLatency);
  const dropped = counter(registry, m.droppedRecords);
  const deadLetters = counter(registry, m.deadLetters);
  const payloadOmitted = counter(registry, m.deadLettersPayloadOmitted);
  // a series from the start, so rate() sees the first one as an increase
  const payloadOmittedTotal = payloadOmitted.series();
  const notWrittenTotal = counter(registry, m.deadLettersNotWritten).series();
  const streamTimes = new Map<string, number>();
  // Lag is computed at scrape time: an idle task's stream time stands still while the clock runs.
  gauge(registry, m.streamTimeLag, function () {
    this.reset();
    const now = Date.now();
    for (const [task, streamTime] of streamTimes) this.set({ task }, Math.max(0, seconds(now - streamTime)));
  });

  return {
    subscribe: (events) => [
      events.on('record.processed', (e) => {
        const task = taskLabel(e.taskId);
        processed.series(task, e.topic).value++;
        processLatency.observe(processLatency.series(task), seconds(e.latencyMs));
      }),
      // A record stamped in the future (producer clock ahead) would give a negative latency
      // and a falling _sum; count it in the lowest bucket instead.
      events.on('record.e2e', (e) =>
        recordE2e.observe(recordE2e.series(e.processor), seconds(Math.max(0, e.e2eLatencyMs))),
      ),
      events.on('record.sent', (e) =>
        outputE2e.observe(outputE2e.series(e.topic), seconds(Math.max(0, e.e2eLatencyMs))),
      ),
      events.on('record.dropped', (e) => {
        dropped.series(taskLabel(e.taskId), e.processor, e.reason).value += e.count;
      }),
      events.on('record.dead-lettered', (e) => {
        if (e.notWritten) notWrittenTotal.value++;
        else deadLetters.series(e.topic, e.reason).value++;
        if (e.payloadOmitted) payloadOmittedTotal.value++;
      }),
      events.on('task.stream-time', (e) => {
        if (Number.isFinite(e.streamTimeMs) && e.streamTimeMs >= 0) {
          streamTimes.set(taskLabel(e.taskId), e.streamTimeMs);
        }
      }),
    ],
    forgetAssignment: () => streamTimes.clear(),
  };
}
