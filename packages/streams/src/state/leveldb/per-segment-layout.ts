import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassicLevel } from 'classic-level';
import type { StateStoreConfig } from '../../config/schema';
import type { LayoutStoreStats, StorageLayout } from './layout';
import type { MemoryGovernor } from './memory-governor';
import { approximateMemoryUsage, closeLevel, openLevel } from './open-level';
import { Partition } from './partition';

type Db = ClassicLevel<Buffer, Buffer>;

/**
 * Kafka Streams' RocksDB layout on LevelDB: one instance per segment per window store
 * (`<taskDir>/<store>/<store>.<segmentStartMs>`) and one per key-value store
 * (`<taskDir>/<store>`). Memory grows with tasks × stores × segments.
 */
export class PerSegmentLayout implements StorageLayout {
  readonly kind = 'per-segment' as const;
  private readonly dbs = new Map<string, Map<string, Db>>();
  private readonly opening = new Map<string, Promise<Db>>();

  constructor(
    private readonly taskDir: string,
    private readonly config: StateStoreConfig,
    private readonly governor: MemoryGovernor,
  ) {}

  private storeDir(store: string): string {
    return join(this.taskDir, store);
  }

  private segmentDir(store: string, segmentId: number, intervalMs: number): string {
    return join(this.storeDir(store), `${store}.${segmentId * intervalMs}`);
  }

  private async instance(store: string, location: string): Promise<Db> {
    const existing = this.dbs.get(store)?.get(location);
    if (existing) return existing;
    // two puts into a new segment may race: open each location once
    let pending = this.opening.get(location);
    if (!pending) {
      pending = openLevel(location, this.config, this.governor).then((db) => {
        let byLocation = this.dbs.get(store);
        if (!byLocation) this.dbs.set(store, (byLocation = new Map()));
        byLocation.set(location, db);
        return db;
      });
      this.opening.set(location, pending);
      pending.finally(() => this.opening.delete(location)).catch(() => undefined);
    }
    return pending;
  }

  async windowPartition(store: string, segmentId: number, intervalMs: number): Promise<Partition> {
    return new Partition(
      await this.instance(store, this.segmentDir(store, segmentId, intervalMs)),
      Buffer.alloc(0),
    );
  }

  async keyValuePartition(store: string): Promise<Partition> {
    return new Partition(await this.instance(store, this.storeDir(store)), Buffer.alloc(0));
  }

  async existingSegments(store: string, intervalMs: number): Promise<number[]> {
    const names = await readdir(this.storeDir(store)).catch(() => [] as string[]);
    const ids: number[] = [];
    for (const name of names) {
      const match = name.startsWith(`${store}.`) ? name.slice(store.length + 1) : null;
      if (match !== null && /^-?\d+$/.test(match)) ids.push(Number(match) / intervalMs);
    }
    return ids.filter(Number.isInteger).sort((a, b) => a - b);
  }

  async dropSegments(store: string, segmentIds: ReadonlyArray<number>, intervalMs: number): Promise<void> {
    for (const id of segmentIds) {
      const location = this.segmentDir(store, id, intervalMs);
      const db = this.dbs.get(store)?.get(location);
      if (db) {
        this.dbs.get(store)!.delete(location);
        await closeLevel(db, this.governor);
      }
      await rm(location, { recursive: true, force: true });
    }
  }

  async wipeStore(store: string): Promise<void> {
    await this.closeStore(store);
    await rm(this.storeDir(store), { recursive: true, force: true });
  }

  async storeStats(store: string): Promise<LayoutStoreStats> {
    const dbs = [...(this.dbs.get(store)?.values() ?? [])];
    return {
      instances: dbs.length,
      diskBytes: await directoryBytes(this.storeDir(store)),
      approximateMemoryBytes: dbs.reduce((sum, db) => sum + approximateMemoryUsage(db), 0),
    };
  }

  async sharedStats(): Promise<LayoutStoreStats | null> {
    return null;
  }

  async closeStore(store: string): Promise<void> {
    const dbs = this.dbs.get(store);
    this.dbs.delete(store);
    for (const db of dbs?.values() ?? []) await closeLevel(db, this.governor);
  }

  async close(): Promise<void> {
    for (const store of [...this.dbs.keys()]) await this.closeStore(store);
  }
}

export async function directoryBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directoryBytes(path);
    else
      total += await stat(path).then(
        (s) => s.size,
        () => 0,
      );
  }
  return total;
}
