import type { StateStoreContext } from '../api';
import type { ChangelogEntry, KeyValueBytesStore, KeyValueWrite, StoreStats } from '../bytes-stores';
import type { StorageLayout } from './layout';
import { layoutOf } from './layouts';
import type { Partition } from './partition';

/** The bytes layer of an ordered key-value store: one partition, keys in byte order. */
export class LevelDbKeyValueStore implements KeyValueBytesStore {
  readonly persistent = true;
  private layout!: StorageLayout;
  private ownsLayout = false;
  private partition!: Partition;

  constructor(readonly name: string) {}

  async init(context: StateStoreContext): Promise<void> {
    const { layout, owned } = layoutOf(context);
    this.layout = layout;
    this.ownsLayout = owned;
    this.partition = await layout.keyValuePartition(this.name);
  }

  get(key: Buffer): Promise<Buffer | undefined> {
    return this.partition.get(key);
  }

  put(key: Buffer, value: Buffer): Promise<void> {
    return this.partition.put(key, value);
  }

  delete(key: Buffer): Promise<void> {
    return this.partition.del(key);
  }

  range(from?: Buffer, to?: Buffer, limit?: number): Promise<Array<[Buffer, Buffer]>> {
    return this.partition.entries(from, to, limit);
  }

  writeAll(writes: ReadonlyArray<KeyValueWrite>): Promise<void> {
    return this.partition.batch(
      writes.map((w) =>
        w.value ? { type: 'put', key: w.key, value: w.value } : { type: 'del', key: w.key },
      ),
    );
  }

  async isEmpty(): Promise<boolean> {
    return (await this.partition.entries(undefined, undefined, 1)).length === 0;
  }

  async beginRestore(): Promise<void> {}

  async restore(records: ReadonlyArray<ChangelogEntry>): Promise<void> {
    await this.partition.batch(
      records.map((r) =>
        r.value ? { type: 'put', key: r.key, value: r.value } : { type: 'del', key: r.key },
      ),
    );
  }

  async wipe(): Promise<void> {
    await this.layout.wipeStore(this.name);
    this.partition = await this.layout.keyValuePartition(this.name);
  }

  async stats(): Promise<StoreStats> {
    const s = await this.layout.storeStats(this.name);
    return { layout: this.layout.kind, segments: 0, ...s };
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    if (this.ownsLayout) await this.layout.close();
    else await this.layout.closeStore(this.name);
  }
}
