import { join } from 'node:path';
import type { ServiceName } from '@streamtune/reference-model';
import { createMemoryCap, memoryCapUnavailable, type MemoryCap } from './memory-cap';
import type { ManagedProcess } from '@streamtune/testkit/harness';
import { ROOT, startTs } from './processes';

const MB = 1024 * 1024;

interface Startable {
  service: ServiceName;
  env: Record<string, string>;
  logPath: string;
}

/**
 * Starts the run's services, each in a memory cgroup of its own when a cap is asked for
 * (`--memory-cap-mb`), and tells afterwards which of them the kernel killed for memory.
 * A restarted service (the crash scenarios) goes back into its group.
 */
export class ServiceStarter {
  private readonly caps = new Map<ServiceName, MemoryCap>();

  constructor(
    private readonly prefix: string,
    private readonly capMb?: number,
  ) {
    if (capMb !== undefined) {
      const why = memoryCapUnavailable();
      if (why) throw new Error(`--memory-cap-mb: ${why}`);
    }
  }

  start(slot: Startable): ManagedProcess {
    const entry = join(ROOT, 'bench/service-main.ts');
    if (this.capMb === undefined) return startTs(slot.service, entry, [slot.service], slot.env, slot.logPath);
    let cap = this.caps.get(slot.service);
    if (!cap) {
      cap = createMemoryCap(`${this.prefix}-${slot.service}`, Math.round(this.capMb * MB));
      this.caps.set(slot.service, cap);
    }
    return startTs(slot.service, entry, [slot.service], slot.env, slot.logPath, cap.procsFile);
  }

  /** Cap, OOM kills and the groups' peak usage, summed over services (flat run figures). */
  figures(): Record<string, number | undefined> {
    if (this.capMb === undefined) return {};
    const caps = [...this.caps.values()];
    const peaks = caps.map((c) => c.peakBytes()).filter((v): v is number => v !== undefined);
    return {
      memoryCapMb: this.capMb,
      oomKills: caps.reduce((s, c) => s + c.oomKills(), 0),
      oomKilled: caps.some((c) => c.oomKills() > 0) ? 1 : 0,
      cgroupPeakMb: peaks.length ? Math.max(...peaks) / MB : undefined,
    };
  }

  remove(): void {
    for (const cap of this.caps.values()) cap.remove();
    this.caps.clear();
  }
}
