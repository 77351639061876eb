import type { StateStoreContext } from '../api';
import type { ChangelogEntry, StoreStats, WindowBytesStore, WindowPut } from '../bytes-stores';
import { NO_SEQUENCE, SequenceGenerator, windowKey, windowKeyRange, windowKeyTimestamp } from '../keys';
import { isExpired, minLiveSegmentId, minLiveTimestamp, segmentIdOf, segmentIntervalMs } from '../segments';
import type { StorageLayout } from './layout';
import { layoutOf } from './layouts';
import type { BytesOperation, Partition } from './partition';

export interface LevelDbWindowStoreOptions {
  name: string;
  retentionMs: number;
  /** Keep every put of an equal key and timestamp (join stores) instead of overwriting. */
  retainDuplicates: boolean;
}

/**
 * The bytes layer of a segmented window store. Its notion of stream time is the largest
 * timestamp it has seen (put, restore or observeStreamTime); records older than stream
 * time - retention are dropped on put and hidden from fetch, and segments holding only
 * such records are dropped whole.
 */
export class LevelDbWindowStore implements WindowBytesStore {
  readonly persistent = true;
  readonly name: string;
  readonly retentionMs: number;
  readonly segmentIntervalMs: number;
  private readonly retainDuplicates: boolean;
  private layout!: StorageLayout;
  private ownsLayout = false;
  private context!: StateStoreContext;
  /** Live segment ids; partitions open lazily. */
  private readonly segmentIds = new Set<number>();
  private readonly partitions = new Map<number, Partition>();
  private streamTimeMs = Number.NEGATIVE_INFINITY;
  private sequence = new SequenceGenerator();

  constructor(options: LevelDbWindowStoreOptions) {
    if (!(options.retentionMs >= 0))
      throw new RangeError(`window store ${options.name}: retention must be >= 0`);
    this.name = options.name;
    this.retentionMs = options.retentionMs;
    this.retainDuplicates = options.retainDuplicates;
    this.segmentIntervalMs = segmentIntervalMs(options.retentionMs);
  }

  async init(context: StateStoreContext): Promise<void> {
    this.context = context;
    const { layout, owned } = layoutOf(context);
    this.layout = layout;
    this.ownsLayout = owned;
    this.sequence = new SequenceGenerator();
    for (const id of await layout.existingSegments(this.name, this.segmentIntervalMs))
      this.segmentIds.add(id);
    const newest = Math.max(...this.segmentIds);
    // a lower bound of the stream time the data was written at; restore raises it
    if (Number.isFinite(newest)) this.streamTimeMs = newest * this.segmentIntervalMs;
  }

  private async partition(segmentId: number): Promise<Partition> {
    let partition = this.partitions.get(segmentId);
    if (!partition) {
      partition = await this.layout.windowPartition(this.name, segmentId, this.segmentIntervalMs);
      this.partitions.set(segmentId, partition);
      this.segmentIds.add(segmentId);
    }
    return partition;
  }

  async put(key: Buffer, value: Buffer, timestampMs: number): Promise<Buffer | null> {
    const storeKey = await this.storedKey(key, timestampMs);
    if (!storeKey) return null;
    const partition = await this.partition(segmentIdOf(timestampMs, this.segmentIntervalMs));
    await partition.put(storeKey, value);
    return storeKey;
  }

  async putAll(puts: ReadonlyArray<WindowPut>): Promise<Array<Buffer | null>> {
    const stored: Array<Buffer | null> = [];
    const bySegment = new Map<number, BytesOperation[]>();
    for (const { key, value, timestampMs } of puts) {
      const storeKey = await this.storedKey(key, timestampMs);
      stored.push(storeKey);
      if (!storeKey) continue;
      const id = segmentIdOf(timestampMs, this.segmentIntervalMs);
      let ops = bySegment.get(id);
      if (!ops) bySegment.set(id, (ops = []));
      ops.push({ type: 'put', key: storeKey, value });
    }
    for (const [id, ops] of bySegment) {
      // a later put of the batch may have expired this segment: do not open it again
      if (id < minLiveSegmentId(this.streamTimeMs, this.retentionMs, this.segmentIntervalMs)) continue;
      await (await this.partition(id)).batch(ops);
    }
    return stored;
  }

  /** Advances stream time to the put; the key to store, or null (and a drop event) when expired. */
  private async storedKey(key: Buffer, timestampMs: number): Promise<Buffer | null> {
    await this.advance(timestampMs);
    if (isExpired(timestampMs, this.streamTimeMs, this.retentionMs)) {
      this.context.events.emit('record.dropped', {
        taskId: this.context.taskId,
        processor: this.name,
        reason: 'expired-window',
        count: 1,
      });
      return null;
    }
    return windowKey(key, timestampMs, this.retainDuplicates ? this.sequence : NO_SEQUENCE);
  }

  streamTime(): number {
    return this.streamTimeMs;
  }

  timestampUpperBound(): number {
    if (!this.segmentIds.size) return Number.NEGATIVE_INFINITY;
    return (Math.max(...this.segmentIds) + 1) * this.segmentIntervalMs;
  }

  async fetch(
    key: Buffer,
    fromMs: number,
    toMs: number,
  ): Promise<Array<{ timestamp: number; value: Buffer }>> {
    const from = Math.max(fromMs, minLiveTimestamp(this.streamTimeMs, this.retentionMs));
    if (from > toMs) return [];
    const range = windowKeyRange(key, from, toMs);
    const out: Array<{ timestamp: number; value: Buffer }> = [];
    const first = segmentIdOf(from, this.segmentIntervalMs);
    const last = segmentIdOf(toMs, this.segmentIntervalMs);
    for (const id of [...this.segmentIds].filter((s) => s >= first && s <= last).sort((a, b) => a - b)) {
      const partition = await this.partition(id);
      for (const [storeKey, value] of await partition.entries(range.gte, range.lt)) {
        out.push({ timestamp: windowKeyTimestamp(storeKey), value });
      }
    }
    return out;
  }

  async observeStreamTime(streamTimeMs: number): Promise<void> {
    await this.advance(streamTimeMs);
  }

  private async advance(timestampMs: number): Promise<void> {
    if (timestampMs <= this.streamTimeMs) return;
    this.streamTimeMs = timestampMs;
    const minLive = minLiveSegmentId(this.streamTimeMs, this.retentionMs, this.segmentIntervalMs);
    const expired = [...this.segmentIds].filter((id) => id < minLive);
    if (!expired.length) return;
    for (const id of expired) {
      this.segmentIds.delete(id);
      this.partitions.delete(id);
    }
    await this.layout.dropSegments(this.name, expired, this.segmentIntervalMs);
  }

  async beginRestore(latestTimestampMs: number | null): Promise<void> {
    if (latestTimestampMs !== null) await this.advance(latestTimestampMs);
  }

  async restore(records: ReadonlyArray<ChangelogEntry>): Promise<void> {
    const bySegment = new Map<number, BytesOperation[]>();
    for (const record of records) {
      const timestamp = windowKeyTimestamp(record.key);
      if (timestamp > this.streamTimeMs) await this.advance(timestamp);
      if (isExpired(timestamp, this.streamTimeMs, this.retentionMs)) continue;
      const id = segmentIdOf(timestamp, this.segmentIntervalMs);
      let ops = bySegment.get(id);
      if (!ops) bySegment.set(id, (ops = []));
      ops.push(
        record.value
          ? { type: 'put', key: record.key, value: record.value }
          : { type: 'del', key: record.key },
      );
    }
    for (const [id, ops] of bySegment) {
      if (id < minLiveSegmentId(this.streamTimeMs, this.retentionMs, this.segmentIntervalMs)) continue;
      await (await this.partition(id)).batch(ops);
    }
  }

  async wipe(): Promise<void> {
    this.segmentIds.clear();
    this.partitions.clear();
    this.streamTimeMs = Number.NEGATIVE_INFINITY;
    await this.layout.wipeStore(this.name);
  }

  async stats(): Promise<StoreStats> {
    const s = await this.layout.storeStats(this.name);
    return { layout: this.layout.kind, segments: this.segmentIds.size, ...s };
  }

  async flush(): Promise<void> {
    // every write is in LevelDB's write-ahead log already: it survives a process crash
  }

  async close(): Promise<void> {
    this.partitions.clear();
    if (this.ownsLayout) await this.layout.close();
    else await this.layout.closeStore(this.name);
  }
}
