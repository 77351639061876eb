import type { StateStoreConfig, StreamsConfig } from '../../config/schema';
import { budgetMessage, levelDbInstanceFootprint, StateMemoryBudgetError } from '../footprint';

/**
 * Counts the LevelDB instances one application (one config object) has open in this
 * process and refuses to open one more when the footprint would pass
 * stateStore.memoryBudgetBytes: the budget holds for what is really open, also when
 * the per-segment layout opens segments as stream time advances.
 */
export class MemoryGovernor {
  private readonly open = new Set<string>();
  private readonly tasks = new Map<string, number>();
  private readonly perInstanceBytes: number;

  constructor(private readonly config: StateStoreConfig) {
    this.perInstanceBytes = levelDbInstanceFootprint(config).total;
  }

  reserveInstance(location: string): void {
    if (this.open.has(location)) return;
    const budget = this.config.memoryBudgetBytes;
    if (
      budget !== undefined &&
      (this.open.size + 1) * this.perInstanceBytes + this.config.cacheMaxBytes > budget
    ) {
      throw new StateMemoryBudgetError(
        `cannot open LevelDB instance ${location}: ` +
          budgetMessage(this.config, this.open.size + 1, levelDbInstanceFootprint(this.config)),
      );
    }
    this.open.add(location);
  }

  releaseInstance(location: string): void {
    this.open.delete(location);
  }

  /**
   * Registers a task's expected instances (its shape under the layout) and fails when all
   * registered tasks together would pass the budget: the check at assignment, before any
   * instance opens, so an over-budget layout fails when tasks start rather than mid-stream.
   */
  registerTask(task: string, expectedInstances: number): void {
    const budget = this.config.memoryBudgetBytes;
    const others = [...this.tasks].filter(([t]) => t !== task).reduce((sum, [, n]) => sum + n, 0);
    const total = others + expectedInstances;
    if (budget !== undefined && total * this.perInstanceBytes + this.config.cacheMaxBytes > budget) {
      throw new StateMemoryBudgetError(
        `cannot open task ${task}: ` +
          budgetMessage(this.config, total, levelDbInstanceFootprint(this.config)),
      );
    }
    this.tasks.set(task, expectedInstances);
  }

  unregisterTask(task: string): void {
    this.tasks.delete(task);
  }

  /** The footprint of what is open now; the caches count at their limit, as in the formula. */
  snapshot(): { layout: string; instances: number; bytes: number } {
    return {
      layout: this.config.layout,
      instances: this.open.size,
      bytes: this.open.size * this.perInstanceBytes + this.config.cacheMaxBytes,
    };
  }
}

const governors = new WeakMap<object, MemoryGovernor>();

/** One governor per application config, shared by all its tasks in this process. */
export function governorFor(config: StreamsConfig): MemoryGovernor {
  let governor = governors.get(config);
  if (!governor) {
    governor = new MemoryGovernor(config.stateStore);
    governors.set(config, governor);
  }
  return governor;
}
