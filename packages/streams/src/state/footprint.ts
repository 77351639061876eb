import type { StateStoreConfig, StreamsConfig } from '../config/schema';

/**
 * What one LevelDB instance holds in memory, from LevelDB's design (db_impl.cc,
 * table_cache.cc) rather than guesswork:
 * - memtables: the active memtable grows to `writeBufferSize` before it is switched;
 *   the full one stays in memory (immutable) until its compaction to level 0 finishes,
 *   so up to 2 × writeBufferSize (RocksDB's write_buffer_count is fixed at 2 here).
 * - block cache: an LRU of uncompressed blocks, at most `cacheSize`; classic-level gives
 *   every instance its own cache, so nothing is shared between instances.
 * - table cache: up to maxOpenFiles - 10 open table files, each with its index block and
 *   bloom filter (classic-level enables a 10-bit filter) outside the block cache. Only as
 *   many tables exist as the data needs, so this part scales with the data per instance.
 * - fixed: the write-ahead log and MANIFEST writers buffer 64 KiB each.
 */
export interface LevelDbInstanceFootprint {
  memtables: number;
  blockCache: number;
  tableCache: number;
  fixed: number;
  total: number;
}

export interface StateMemoryFootprint {
  layout: StateStoreConfig['layout'];
  /** LevelDB instances the layout opens for the given shape. */
  instances: number;
  /** instances × perInstance.total + cacheBytes */
  bytes: number;
  /** stateStore.cacheMaxBytes: the record caches of all stores, process-wide. */
  cacheBytes: number;
  perInstance: LevelDbInstanceFootprint;
}

export interface StateShape {
  /** Segmented (window) stores per task, e.g. 2 per stream-stream join. */
  stores: number;
  /** Tasks in the process (partitions × sub-topologies assigned to it). */
  tasks: number;
  /** Live segments per window store: `maxLiveSegments(retention)`, 3 for retention >= 2 min. */
  segmentsPerStore: number;
  /** Unsegmented (key-value) stores per task, e.g. 1 per left/outer join. Default 0. */
  keyValueStores?: number;
  /** Data each instance holds, to size the table cache; default 0 (small stores). */
  dataBytesPerInstance?: number;
}

/** LevelDB's max_file_size as classic-level sets it (2 MiB): the size of one table file. */
const TABLE_FILE_BYTES = 2 * 1024 * 1024;
/** Index block entry: a shortened separator key plus a block handle. */
const INDEX_ENTRY_BYTES = 32;
/** Bloom filter cost per key (10 bits) at an assumed 100-byte entry. */
const FILTER_BYTES_PER_TABLE = (TABLE_FILE_BYTES / 100) * (10 / 8);
/** LevelDB reserves 10 of max_open_files for non-table files. */
const NON_TABLE_FILES = 10;
const FIXED_INSTANCE_BYTES = 2 * 64 * 1024;

function storeConfig(config: StreamsConfig | StateStoreConfig): StateStoreConfig {
  return 'stateStore' in config ? config.stateStore : config;
}

export function levelDbInstanceFootprint(
  config: StreamsConfig | StateStoreConfig,
  dataBytesPerInstance = 0,
): LevelDbInstanceFootprint {
  const c = storeConfig(config);
  const memtables = 2 * c.writeBufferSize;
  const blockCache = c.cacheSize;
  const tables = Math.min(
    Math.max(0, c.maxOpenFiles - NON_TABLE_FILES),
    Math.ceil(Math.max(0, dataBytesPerInstance) / TABLE_FILE_BYTES),
  );
  const perTable = (TABLE_FILE_BYTES / c.blockSize) * INDEX_ENTRY_BYTES + FILTER_BYTES_PER_TABLE;
  const tableCache = Math.round(tables * perTable);
  const fixed = FIXED_INSTANCE_BYTES;
  return { memtables, blockCache, tableCache, fixed, total: memtables + blockCache + tableCache + fixed };
}

/** How many LevelDB instances a layout opens for a shape. */
export function layoutInstances(layout: StateStoreConfig['layout'], shape: StateShape): number {
  const kv = shape.keyValueStores ?? 0;
  if (layout === 'per-task') return shape.stores + kv > 0 ? shape.tasks : 0;
  return shape.tasks * (shape.stores * shape.segmentsPerStore + kv);
}

/**
 * The memory a layout's LevelDB instances may hold: the LevelDB analogue of RocksDB's
 * `write_buffer_size × write_buffer_count + block_cache_size`, times instances, plus the
 * record caches in front of the stores (stateStore.cacheMaxBytes, shared by all of them).
 *
 * `per-segment` (Kafka Streams' RocksDB layout) opens tasks × (stores × segments + kv
 * stores) instances, each with its own memtables and cache, so memory grows with
 * partitions × segments × stores; `per-task` opens one per task.
 *
 * @example stateMemoryFootprint(config, { stores: 16, tasks: 12, segmentsPerStore: 3 })
 */
export function stateMemoryFootprint(
  config: StreamsConfig | StateStoreConfig,
  shape: StateShape,
): StateMemoryFootprint {
  const c = storeConfig(config);
  for (const [name, value] of Object.entries(shape)) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new RangeError(`stateMemoryFootprint: ${name} must be a non-negative number, got ${value}`);
    }
  }
  const perInstance = levelDbInstanceFootprint(c, shape.dataBytesPerInstance);
  const instances = layoutInstances(c.layout, shape);
  const cacheBytes = c.cacheMaxBytes;
  return {
    layout: c.layout,
    instances,
    bytes: instances * perInstance.total + cacheBytes,
    cacheBytes,
    perInstance,
  };
}

export class StateMemoryBudgetError extends Error {
  override readonly name = 'StateMemoryBudgetError';
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

export function budgetMessage(
  config: StateStoreConfig,
  instances: number,
  perInstance: LevelDbInstanceFootprint,
): string {
  return (
    `state stores need ${mib(instances * perInstance.total + config.cacheMaxBytes)} (${instances} LevelDB instance(s) of the ` +
    `'${config.layout}' layout × ${mib(perInstance.total)}: 2 × writeBufferSize ${mib(config.writeBufferSize)} + ` +
    `cacheSize ${mib(config.cacheSize)} + buffers; plus cacheMaxBytes ${mib(config.cacheMaxBytes)}), over stateStore.memoryBudgetBytes = ` +
    `${mib(config.memoryBudgetBytes ?? 0)}; use layout 'per-task', lower writeBufferSize/cacheSize/cacheMaxBytes, or raise the budget`
  );
}

/** Throws a StateMemoryBudgetError when the shape's footprint exceeds stateStore.memoryBudgetBytes. */
export function assertStateMemoryBudget(
  config: StreamsConfig | StateStoreConfig,
  shape: StateShape,
): StateMemoryFootprint {
  const c = storeConfig(config);
  const footprint = stateMemoryFootprint(c, shape);
  if (c.memoryBudgetBytes !== undefined && footprint.bytes > c.memoryBudgetBytes) {
    throw new StateMemoryBudgetError(budgetMessage(c, footprint.instances, footprint.perInstance));
  }
  return footprint;
}
