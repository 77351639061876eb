import { join } from 'node:path';
import type { ClassicLevel } from 'classic-level';
import type { StateStoreConfig } from '../../config/schema';
import { prefixEnd, readTimestamp, writeTimestamp } from '../keys';
import type { LayoutStoreStats, StorageLayout } from './layout';
import type { MemoryGovernor } from './memory-governor';
import { approximateMemoryUsage, closeLevel, openLevel } from './open-level';
import { directoryBytes } from './per-segment-layout';
import { Partition } from './partition';

type Db = ClassicLevel<Buffer, Buffer>;

/**
 * The bounded layout: one LevelDB instance per task (`<taskDir>/leveldb`) with the
 * configured write buffer, cache and open files. A store is the key prefix
 * `<store>\0`; a window segment adds its id (8 bytes, ordered), so an expired segment
 * is one range delete and a store's segments are found by skipping through its keys.
 */
export class PerTaskLayout implements StorageLayout {
  readonly kind = 'per-task' as const;
  private db: Db | null = null;
  private opening: Promise<Db> | null = null;

  constructor(
    private readonly taskDir: string,
    private readonly config: StateStoreConfig,
    private readonly governor: MemoryGovernor,
  ) {}

  private location(): string {
    return join(this.taskDir, 'leveldb');
  }

  private async instance(): Promise<Db> {
    if (this.db) return this.db;
    this.opening ??= openLevel(this.location(), this.config, this.governor).then((db) => (this.db = db));
    try {
      return await this.opening;
    } finally {
      this.opening = null;
    }
  }

  private storePrefix(store: string): Buffer {
    return Buffer.from(`${store}\0`, 'utf8');
  }

  private segmentPrefix(store: string, segmentId: number): Buffer {
    const base = this.storePrefix(store);
    const out = Buffer.allocUnsafe(base.length + 8);
    base.copy(out, 0);
    writeTimestamp(out, base.length, segmentId);
    return out;
  }

  async windowPartition(store: string, segmentId: number): Promise<Partition> {
    return new Partition(await this.instance(), this.segmentPrefix(store, segmentId));
  }

  async keyValuePartition(store: string): Promise<Partition> {
    return new Partition(await this.instance(), this.storePrefix(store));
  }

  async existingSegments(store: string): Promise<number[]> {
    const db = await this.instance();
    const base = this.storePrefix(store);
    const end = prefixEnd(base)!;
    const ids: number[] = [];
    let from = base;
    // skip scan: one seek per segment, not one step per key
    for (;;) {
      const keys = await db.keys({ gte: from, lt: end, limit: 1 }).all();
      const key = keys[0];
      if (!key || key.length < base.length + 8) break;
      const id = readTimestamp(key, base.length);
      ids.push(id);
      from = this.segmentPrefix(store, id + 1);
    }
    return ids;
  }

  async dropSegments(store: string, segmentIds: ReadonlyArray<number>): Promise<void> {
    const db = await this.instance();
    for (const id of segmentIds) {
      await db.clear({ gte: this.segmentPrefix(store, id), lt: this.segmentPrefix(store, id + 1) });
    }
  }

  async wipeStore(store: string): Promise<void> {
    const db = await this.instance();
    const base = this.storePrefix(store);
    await db.clear({ gte: base, lt: prefixEnd(base)! });
  }

  async storeStats(store: string): Promise<LayoutStoreStats> {
    const db = await this.instance();
    const base = this.storePrefix(store);
    const diskBytes = await db.approximateSize(base, prefixEnd(base)!);
    return { instances: 0, diskBytes, approximateMemoryBytes: 0 };
  }

  async sharedStats(): Promise<LayoutStoreStats | null> {
    if (!this.db) return null;
    return {
      instances: 1,
      diskBytes: await directoryBytes(this.location()),
      approximateMemoryBytes: approximateMemoryUsage(this.db),
    };
  }

  async closeStore(): Promise<void> {
    // stores share the task's instance; it closes with the task
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = null;
    if (db) await closeLevel(db, this.governor);
  }
}
