import type { Registry } from 'prom-client';
import { streamsMetrics as m } from '../catalog/index';
import { counter, gauge, histogram, seconds } from './families';
import type { Instruments } from './types';

export function producerInstruments(registry: Registry): Instruments {
  const requests = counter(registry, m.producerRequests);
  const produceRequests = counter(registry, m.producerProduceRequests);
  const recordsSent = counter(registry, m.producerRecordsSent);
  const bytesSent = counter(registry, m.producerBytesSent);
  const batchBytes = histogram(registry, m.producerBatchBytes);
  const batchRecords = histogram(registry, m.producerBatchRecords);
  const requestLatency = histogram(registry, m.producerRequestLatency);
  const queueTime = histogram(registry, m.producerQueueTime);
  const buffered = gauge(registry, m.producerBufferedBytes);
  const inFlight = gauge(registry, m.producerInFlightRequests);
  const [bytesPerBatch, recordsPerBatch, latency, queued] = [
    batchBytes.series(),
    batchRecords.series(),
    requestLatency.series(),
    queueTime.series(),
  ];
  buffered.set(0);
  inFlight.set(0);
  produceRequests.series(); // one series from the start, 0 before the first request
  // The runtime reports one event per topic-partition batch; the batches of one request come
  // in one synchronous burst with one latency (streams' src/runtime is not ours to change,
  // so requests are told apart here): a new latency, or a turn of the event loop, is a new request.
  let lastLatencyMs: number | undefined;
  const countRequest = (latencyMs: number) => {
    if (latencyMs === lastLatencyMs) return;
    if (lastLatencyMs === undefined) queueMicrotask(() => (lastLatencyMs = undefined));
    lastLatencyMs = latencyMs;
    produceRequests.series().value++;
  };

  return {
    subscribe: (events) => [
      events.on('producer.request', (e) => {
        requestLatency.observe(latency, seconds(e.latencyMs));
        queueTime.observe(queued, seconds(Math.max(0, e.queueTimeMs)));
        countRequest(e.latencyMs);
        if (e.error !== undefined) {
          requests.series(e.topic, 'error').value++;
          return;
        }
        requests.series(e.topic, 'success').value++;
        recordsSent.series(e.topic).value += e.records;
        bytesSent.series(e.topic).value += e.bytes;
        batchBytes.observe(bytesPerBatch, e.bytes);
        batchRecords.observe(recordsPerBatch, e.records);
      }),
      events.on('producer.buffer', (e) => {
        buffered.set(e.bufferedBytes);
        inFlight.set(e.inFlightRequests);
      }),
    ],
  };
}
