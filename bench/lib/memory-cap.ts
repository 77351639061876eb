import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A memory limit of the bench's own making for one service process: a cgroup that holds
 * RSS and page cache, native allocations included. `--max-old-space-size` or `prlimit
 * --as` would not do: the first caps only the V8 heap (LevelDB's memtables and caches are
 * native), the second caps address space, which V8 and glibc reserve far beyond what they use.
 *
 * cgroup v2 when its memory controller is available (memory.max, memory.events), else the
 * v1 memory hierarchy (memory.limit_in_bytes, memory.oom_control). These machines mount v1
 * for memory and a v2 tree without it. The group is a direct child of the hierarchy's root
 * (never inside another manager's group) and is removed after the run.
 */
export interface MemoryCap {
  readonly version: 1 | 2;
  readonly dir: string;
  readonly limitBytes: number;
  /**
   * Moves a process in. Memory it touched before stays charged where it was (v1's
   * move_charge_at_immigrate is refused by this kernel), so processes join before they start
   * their work: see startTs in processes.ts.
   */
  add(pid: number): void;
  /** The file a process writes its pid to, to join. */
  readonly procsFile: string;
  /** OOM kills inside the group so far. */
  oomKills(): number;
  /** Highest usage the group saw (v1 max_usage_in_bytes, v2 memory.peak where the kernel has it). */
  peakBytes(): number | undefined;
  remove(): void;
}

const V2_ROOTS = ['/sys/fs/cgroup', '/sys/fs/cgroup/unified'];
const V1_ROOT = '/sys/fs/cgroup/memory';

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};
const field = (text: string | undefined, name: string) => {
  const m = text?.match(new RegExp(`^${name} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : 0;
};

function v2Root(): string | undefined {
  return V2_ROOTS.find((r) => read(join(r, 'cgroup.controllers'))?.split(/\s+/).includes('memory'));
}

/** Why no cap can be made here, or undefined when one can. */
export function memoryCapUnavailable(): string | undefined {
  if (v2Root()) return undefined;
  if (existsSync(join(V1_ROOT, 'memory.limit_in_bytes'))) return undefined;
  return 'no cgroup memory controller under /sys/fs/cgroup (neither v2 memory.max nor v1 memory.limit_in_bytes)';
}

export function createMemoryCap(name: string, limitBytes: number): MemoryCap {
  const root2 = v2Root();
  if (root2) {
    const parent = join(root2, 'streamtune-bench');
    mkdirSync(parent, { recursive: true });
    // children of `parent` may only limit memory once the parent hands the controller down
    writeFileSync(join(parent, 'cgroup.subtree_control'), '+memory');
    const dir = join(parent, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'memory.max'), String(limitBytes));
    writeFileSync(join(dir, 'memory.swap.max'), '0');
    return {
      version: 2,
      dir,
      limitBytes,
      add: (pid) => writeFileSync(join(dir, 'cgroup.procs'), String(pid)),
      procsFile: join(dir, 'cgroup.procs'),
      oomKills: () => field(read(join(dir, 'memory.events')), 'oom_kill'),
      peakBytes: () => {
        const peak = read(join(dir, 'memory.peak'));
        return peak ? Number(peak) : undefined;
      },
      remove: () => removeDir(dir),
    };
  }
  const parent = join(V1_ROOT, 'streamtune-bench');
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limitBytes));
  return {
    version: 1,
    dir,
    limitBytes,
    add: (pid) => writeFileSync(join(dir, 'cgroup.procs'), String(pid)),
    procsFile: join(dir, 'cgroup.procs'),
    // "oom_kill N" appeared in v1's oom_control with Linux 4.13; failcnt counts hits of the limit
    oomKills: () => field(read(join(dir, 'memory.oom_control')), 'oom_kill'),
    peakBytes: () => Number(read(join(dir, 'memory.max_usage_in_bytes')) ?? NaN) || undefined,
    remove: () => removeDir(dir),
  };
}

function removeDir(dir: string): void {
  // a cgroup directory goes with rmdir once its processes have exited; a busy one stays
  for (let i = 0; i < 20; i++) {
    try {
      rmdirSync(dir);
      return;
    } catch {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}
