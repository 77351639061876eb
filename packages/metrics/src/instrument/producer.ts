import type { Registry } from 'prom-client';
import { streamsMetrics as m } from '../catalog/index';
import { counter, gauge, histogram, seconds } from './families';
import type { Instruments } from './types';

export function producerInstruments(registry: Registry): Instruments {
  const requests = counter(registry, m.producerRequests);
  const recordsSent = counter(registry, m.producerRecordsSent);
  const bytesSent = counter(registry, m.producerBytesSent);
  const batchBytes = histogram(registry, m.producerBatchBytes);
  const batchRecords = histogram(registry, m.producerBatchRecords);
  const requestLatency = histogram(registry, m.producerRequestLatency);
  const queueTime = histogram(registry, m.producerQueueTime);
  const buffered = gauge(registry, m.producerBufferedBytes);
  const inFlight = gauge(registry, m.producerInFlightRequests);
  buffered.set(0);
  inFlight.set(0);

  return {
    subscribe: (events) => [
      events.on('producer.request', (e) => {
        requestLatency.observe(seconds(e.latencyMs));
        queueTime.observe(seconds(Math.max(0, e.queueTimeMs)));
        if (e.error !== undefined) {
          requests.inc({ topic: e.topic, outcome: 'error' });
          return;
        }
        requests.inc({ topic: e.topic, outcome: 'success' });
        recordsSent.inc({ topic: e.topic }, e.records);
        bytesSent.inc({ topic: e.topic }, e.bytes);
        batchBytes.observe(e.bytes);
        batchRecords.observe(e.records);
      }),
      events.on('producer.buffer', (e) => {
        buffered.set(e.bufferedBytes);
        inFlight.set(e.inFlightRequests);
      }),
    ],
  };
}
