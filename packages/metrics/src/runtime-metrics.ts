import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from 'prom-client';
import { runtimeMetrics } from './catalog/index';

/**
 * Event-loop utilization and native memory, which prom-client's defaults lack.
 * Both are computed when Prometheus scrapes, so nothing runs between scrapes.
 */
export function registerRuntimeMetrics(registry: Registry): void {
  let previous: EventLoopUtilization = performance.eventLoopUtilization();
  const { eventLoopUtilization, eventLoopActive, nativeMemory } = runtimeMetrics;

  new Gauge({
    name: eventLoopUtilization.name,
    help: eventLoopUtilization.help,
    registers: [registry],
    collect() {
      const now = performance.eventLoopUtilization();
      // A window since the previous scrape: two scrapes in the same tick give no window, keep the last value.
      const window = performance.eventLoopUtilization(now, previous);
      if (window.idle + window.active > 0) {
        this.set(window.utilization);
        previous = now;
      }
    },
  });

  new Counter({
    name: eventLoopActive.name,
    help: eventLoopActive.help,
    registers: [registry],
    collect() {
      // ELU's active time is cumulative since the loop started; a counter is reset and re-set to it.
      this.reset();
      this.inc(performance.eventLoopUtilization().active / 1000);
    },
  });

  new Gauge({
    name: nativeMemory.name,
    help: nativeMemory.help,
    registers: [registry],
    collect() {
      this.set(nativeMemoryBytes(process.memoryUsage()));
    },
  });
}

/**
 * RSS holds the V8 heap (heapTotal), memory V8 accounts as external (Buffers, ArrayBuffers)
 * and everything else: native addons such as LevelDB, libuv, code. The rest is that
 * "everything else", clamped at 0 because RSS may lag a heap that just grew.
 */
export function nativeMemoryBytes(usage: Pick<NodeJS.MemoryUsage, 'rss' | 'heapTotal' | 'external'>): number {
  return Math.max(0, usage.rss - usage.heapTotal - usage.external);
}
