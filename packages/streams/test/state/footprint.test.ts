import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema';
import {
  assertStateMemoryBudget,
  StateMemoryBudgetError,
  stateMemoryFootprint,
} from '../../src/state/footprint';
import { MemoryGovernor } from '../../src/state/leveldb/memory-governor';

const MiB = 1024 * 1024;
const config = (stateStore: Record<string, unknown> = {}) =>
  parseConfig({ applicationId: 'a', bootstrapServers: 'x:1', stateStore });

describe('stateMemoryFootprint', () => {
  it('per-segment: tasks × stores × segments instances of 2 × write buffer + cache + buffers', () => {
    const f = stateMemoryFootprint(config(), { stores: 16, tasks: 12, segmentsPerStore: 3 });
    expect(f.instances).toBe(576);
    expect(f.perInstance.memtables).toBe(8 * MiB);
    expect(f.perInstance.blockCache).toBe(8 * MiB);
    expect(f.perInstance.tableCache).toBe(0);
    expect(f.cacheBytes).toBe(64 * MiB); // stateStore.cacheMaxBytes, once for the process
    expect(f.bytes).toBe(576 * f.perInstance.total + f.cacheBytes);
  });

  it('per-task: one instance per task with the configured sizes', () => {
    const f = stateMemoryFootprint(config({ layout: 'per-task', writeBufferSize: MiB, cacheSize: 2 * MiB }), {
      stores: 16,
      keyValueStores: 8,
      tasks: 12,
      segmentsPerStore: 3,
    });
    expect(f.instances).toBe(12);
    expect(f.perInstance.memtables + f.perInstance.blockCache).toBe(4 * MiB);
  });

  it('counts key-value stores as one instance each in per-segment', () => {
    expect(
      stateMemoryFootprint(config(), { stores: 2, keyValueStores: 1, tasks: 4, segmentsPerStore: 3 })
        .instances,
    ).toBe(28);
  });

  it('sizes the table cache from the data per instance, capped by maxOpenFiles - 10', () => {
    const small = stateMemoryFootprint(config({ maxOpenFiles: 20 }), {
      stores: 1,
      tasks: 1,
      segmentsPerStore: 1,
      dataBytesPerInstance: 4 * MiB,
    });
    const huge = stateMemoryFootprint(config({ maxOpenFiles: 20 }), {
      stores: 1,
      tasks: 1,
      segmentsPerStore: 1,
      dataBytesPerInstance: 1024 * MiB,
    });
    expect(huge.perInstance.tableCache / small.perInstance.tableCache).toBeCloseTo(5, 3);
  });

  it('rejects nonsense shapes', () => {
    expect(() => stateMemoryFootprint(config(), { stores: -1, tasks: 1, segmentsPerStore: 1 })).toThrow(
      /stores must be/,
    );
  });

  it('assertStateMemoryBudget fails with the numbers and the way out', () => {
    const c = config({ memoryBudgetBytes: 100 * MiB });
    expect(() => assertStateMemoryBudget(c, { stores: 16, tasks: 12, segmentsPerStore: 3 })).toThrow(
      StateMemoryBudgetError,
    );
    expect(() => assertStateMemoryBudget(c, { stores: 16, tasks: 12, segmentsPerStore: 3 })).toThrow(
      /576 LevelDB instance.*per-segment.*memoryBudgetBytes = 100.0 MiB; use layout 'per-task'/,
    );
    expect(
      assertStateMemoryBudget(config({ layout: 'per-task', memoryBudgetBytes: 300 * MiB }), {
        stores: 16,
        tasks: 12,
        segmentsPerStore: 3,
      }).instances,
    ).toBe(12);
  });
});

describe('MemoryGovernor', () => {
  it('refuses the instance that would pass the budget and counts releases', () => {
    const c = config({ memoryBudgetBytes: 40 * MiB, cacheMaxBytes: 0 }).stateStore; // 16.1 MiB per instance: two fit
    const g = new MemoryGovernor(c);
    g.reserveInstance('/a');
    g.reserveInstance('/b');
    g.reserveInstance('/b');
    expect(() => g.reserveInstance('/c')).toThrow(/cannot open LevelDB instance \/c/);
    g.releaseInstance('/a');
    g.reserveInstance('/c');
    expect(g.snapshot().instances).toBe(2);
  });
});
