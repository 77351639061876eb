import type { Registry } from 'prom-client';
import { streamsMetrics as m } from '../catalog/index';
import { gauge, histogram, seconds, taskLabel } from './families';
import type { Instruments } from './types';

export function storeInstruments(registry: Registry): Instruments {
  const opLatency = histogram(registry, m.storeOperationLatency);
  const instances = gauge(registry, m.storeInstances);
  const segments = gauge(registry, m.storeSegments);
  const diskBytes = gauge(registry, m.storeDiskBytes);
  const memoryBytes = gauge(registry, m.storeMemoryBytes);
  const cacheBytes = gauge(registry, m.storeCacheBytes);
  const cacheMaxBytes = gauge(registry, m.storeCacheMaxBytes);
  const footprintBytes = gauge(registry, m.storeFootprintBytes);
  const footprintInstances = gauge(registry, m.storeFootprintInstances);
  const perTask = [instances, segments, diskBytes, memoryBytes, cacheBytes];

  return {
    subscribe: (events) => [
      events.on('store.operation', (e) =>
        opLatency.observe(opLatency.series(e.store, e.op), seconds(e.latencyMs)),
      ),
      events.on('store.stats', (e) => {
        const labels = { task: taskLabel(e.taskId), store: e.store, layout: e.layout };
        instances.set(labels, e.instances);
        segments.set(labels, e.segments);
        diskBytes.set(labels, e.diskBytes);
        memoryBytes.set(labels, e.approximateMemoryBytes);
        cacheBytes.set(labels, e.cacheBytes ?? 0);
      }),
      events.on('store.footprint', (e) => {
        footprintBytes.set({ layout: e.layout }, e.bytes);
        footprintInstances.set({ layout: e.layout }, e.instances);
        cacheMaxBytes.set({}, e.cacheMaxBytes);
      }),
    ],
    forgetAssignment: () => perTask.forEach((g) => g.reset()),
  };
}
