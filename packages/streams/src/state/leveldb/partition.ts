import type { ClassicLevel } from 'classic-level';
import { prefixEnd } from '../keys';

export type BytesOperation = { type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer };

/**
 * A key range of one LevelDB instance: a whole instance (per-segment layout, empty
 * prefix) or one store's segment inside a shared instance (per-task layout).
 */
export class Partition {
  private readonly end: Buffer | null;

  constructor(
    readonly db: ClassicLevel<Buffer, Buffer>,
    readonly prefix: Buffer,
  ) {
    this.end = prefix.length ? prefixEnd(prefix) : null;
  }

  private full(key: Buffer): Buffer {
    return this.prefix.length ? Buffer.concat([this.prefix, key]) : key;
  }

  get(key: Buffer): Promise<Buffer | undefined> {
    return this.db.get(this.full(key));
  }

  put(key: Buffer, value: Buffer): Promise<void> {
    return this.db.put(this.full(key), value);
  }

  del(key: Buffer): Promise<void> {
    return this.db.del(this.full(key));
  }

  batch(operations: ReadonlyArray<BytesOperation>): Promise<void> {
    if (!operations.length) return Promise.resolve();
    return this.db.batch(
      operations.map((op) =>
        op.type === 'put'
          ? { type: 'put' as const, key: this.full(op.key), value: op.value }
          : { type: 'del' as const, key: this.full(op.key) },
      ),
    );
  }

  /** Entries with gte <= key < lt (keys without the prefix), in key order. */
  async entries(gte?: Buffer, lt?: Buffer, limit = -1): Promise<Array<[Buffer, Buffer]>> {
    const lower = gte ? this.full(gte) : this.prefix.length ? this.prefix : undefined;
    const upper = lt ? this.full(lt) : (this.end ?? undefined);
    const range: { gte?: Buffer; lt?: Buffer; limit: number } = { limit };
    if (lower) range.gte = lower;
    if (upper) range.lt = upper;
    const out: Array<[Buffer, Buffer]> = [];
    const cut = this.prefix.length;
    for await (const [key, value] of this.db.iterator(range)) {
      out.push([cut ? key.subarray(cut) : key, value]);
    }
    return out;
  }
}
