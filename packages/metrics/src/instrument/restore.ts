import type { Registry } from 'prom-client';
import { streamsMetrics as m } from '../catalog/index';
import { counter, gauge, histogram, seconds, taskLabel } from './families';
import type { Instruments } from './types';

interface ActiveRestore {
  startedAt: number;
  restored: number;
}

/** Restore families; also tells readiness whether any store is still restoring. */
export function restoreInstruments(
  registry: Registry,
  onActiveChange: (active: number) => void,
): Instruments {
  const restored = counter(registry, m.restoredRecords);
  const remaining = gauge(registry, m.restoreRemaining);
  const duration = histogram(registry, m.restoreDuration);
  const rate = gauge(registry, m.restoreRate);
  const activeGauge = gauge(registry, m.restoresActive);
  const active = new Map<string, ActiveRestore>();
  const changed = () => {
    activeGauge.set(active.size);
    onActiveChange(active.size);
  };
  activeGauge.set(0);

  return {
    subscribe: (events) => [
      events.on('restore.start', (e) => {
        const task = taskLabel(e.taskId);
        active.set(`${task}\u0000${e.store}`, { startedAt: Date.now(), restored: 0 });
        remaining.set({ task, store: e.store }, Math.max(0, e.toRestore));
        changed();
      }),
      // `restored` is a running total for the store's restore; the counter takes the increase.
      events.on('restore.batch', (e) => {
        const task = taskLabel(e.taskId);
        remaining.set({ task, store: e.store }, Math.max(0, e.remaining));
        const progress = active.get(`${task}\u0000${e.store}`);
        if (!progress) return;
        restored.series(e.store).value += Math.max(0, e.restored - progress.restored);
        progress.restored = Math.max(progress.restored, e.restored);
        const elapsed = seconds(Date.now() - progress.startedAt);
        if (elapsed > 0) rate.set({ task, store: e.store }, progress.restored / elapsed);
      }),
      events.on('restore.end', (e) => {
        const task = taskLabel(e.taskId);
        const progress = active.get(`${task}\u0000${e.store}`);
        if (progress) restored.series(e.store).value += Math.max(0, e.restored - progress.restored);
        remaining.set({ task, store: e.store }, 0);
        duration.observe(duration.series(e.store), seconds(e.durationMs));
        if (e.durationMs > 0) rate.set({ task, store: e.store }, e.restored / seconds(e.durationMs));
        active.delete(`${task}\u0000${e.store}`);
        changed();
      }),
    ],
    forgetAssignment: () => {
      remaining.reset();
      rate.reset();
      active.clear();
      changed();
    },
  };
}
