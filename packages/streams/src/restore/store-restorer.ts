import type { StreamsEvents } from '../observability/events';
import type { ManagedStore } from '../state/bytes-stores';
import type { ChangelogReader } from './changelog-reader';
import { taskIdToString, type TaskId } from '../types/index';

export interface RestoreRequest {
  store: ManagedStore;
  topic: string;
  partition: number;
  /** The first offset to apply (checkpoint + 1, or the partition's low offset). */
  from: bigint;
  /** The high watermark: the restore ends before it. */
  to: bigint;
  taskId: TaskId;
  events: StreamsEvents;
  reader: ChangelogReader;
  log: (line: string) => void;
  /** Min ms between progress log lines. */
  logIntervalMs?: number;
}

/** Looking at the newest record first pays off only when there is much to skip. */
const LOOKAHEAD_MIN_RECORDS = 1_000n;

/**
 * Replays one changelog partition into a store: restore.start, restore.batch per batch,
 * restore.end, and a progress line with rate and ETA. Records already expired (older
 * than the newest changelog timestamp minus the store's retention) are not written.
 */
export async function restoreStore(request: RestoreRequest): Promise<number> {
  const { store, topic, partition, from, to, taskId, events, reader, log } = request;
  const total = to > from ? Number(to - from) : 0;
  const task = taskIdToString(taskId);
  events.emit('restore.start', { taskId, store: store.name, changelog: topic, partition, toRestore: total });
  const started = performance.now();
  let restored = 0;
  if (total > 0) {
    let latest: number | null = null;
    if (to - from >= LOOKAHEAD_MIN_RECORDS) {
      await reader.read(topic, partition, String(to - 1n), String(to), async (records) => {
        for (const r of records) latest = Math.max(latest ?? r.timestamp, r.timestamp);
      });
    }
    await store.beginRestore(latest);
    let lastLog = started;
    const logEvery = request.logIntervalMs ?? 5_000;
    await reader.read(topic, partition, String(from), String(to), async (records) => {
      const entries = [];
      for (const r of records) {
        if (r.key) entries.push({ key: r.key, value: r.value, timestamp: r.timestamp });
      }
      await store.restore(entries);
      const last = records[records.length - 1];
      restored = last ? Number(BigInt(last.offset) - from + 1n) : restored;
      const remaining = Math.max(0, total - restored);
      events.emit('restore.batch', { taskId, store: store.name, restored, remaining });
      const now = performance.now();
      if (now - lastLog >= logEvery) {
        lastLog = now;
        const rate = restored / ((now - started) / 1000);
        log(
          `restore ${task} ${store.name}: ${restored}/${total} records (${Math.round(rate)} rec/s), ` +
            `ETA ${rate > 0 ? (remaining / rate).toFixed(1) : '?'} s`,
        );
      }
    });
  }
  const durationMs = performance.now() - started;
  events.emit('restore.end', { taskId, store: store.name, restored, durationMs });
  if (total > 0) {
    log(
      `restore ${task} ${store.name}: done, ${restored} records from ${topic}-${partition} in ` +
        `${(durationMs / 1000).toFixed(1)} s (${Math.round(restored / Math.max(durationMs / 1000, 0.001))} rec/s)`,
    );
  }
  return restored;
}
