import { mkdir } from 'node:fs/promises';
import { ClassicLevel } from 'classic-level';
import type { StateStoreConfig } from '../../config/schema';
import type { MemoryGovernor } from './memory-governor';

/**
 * Opens one LevelDB instance with the configured sizes (their defaults equal
 * classic-level's, so an untuned config is classic-level's defaults). Every instance is
 * counted by the process-wide governor, which refuses to open past the memory budget.
 */
export async function openLevel(
  location: string,
  config: StateStoreConfig,
  governor: MemoryGovernor,
): Promise<ClassicLevel<Buffer, Buffer>> {
  governor.reserveInstance(location);
  try {
    await mkdir(location, { recursive: true });
    const db = new ClassicLevel<Buffer, Buffer>(location, {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
      writeBufferSize: config.writeBufferSize,
      cacheSize: config.cacheSize,
      maxOpenFiles: config.maxOpenFiles,
      blockSize: config.blockSize,
    });
    await openWithLockRetry(db);
    return db;
  } catch (error) {
    governor.releaseInstance(location);
    throw error;
  }
}

export async function closeLevel(db: ClassicLevel<Buffer, Buffer>, governor: MemoryGovernor): Promise<void> {
  try {
    if (db.status === 'open' || db.status === 'opening') await db.close();
  } finally {
    governor.releaseInstance(db.location);
  }
}

/** LevelDB's own estimate of its memory: memtables plus block cache in use. */
export function approximateMemoryUsage(db: ClassicLevel<Buffer, Buffer>): number {
  if (db.status !== 'open') return 0;
  const value = Number(db.getProperty('leveldb.approximate-memory-usage'));
  return Number.isFinite(value) ? value : 0;
}

/**
 * LevelDB locks its directory to one opener. When a task moves between two instances
 * of one process (a rebalance), the old owner may still be closing it: retry for a
 * while, as Kafka Streams does with its state directory lock, then fail clearly.
 */
async function openWithLockRetry(db: ClassicLevel<Buffer, Buffer>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    try {
      await db.open();
      return;
    } catch (error) {
      const locked = (error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED';
      if (!locked || Date.now() >= deadline) {
        if (locked) {
          throw new Error(
            `state directory ${db.location} is locked by another open store (another instance with the same stateDir?)`,
            {
              cause: error,
            },
          );
        }
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
