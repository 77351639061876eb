import { cpus, freemem, hostname, loadavg, platform, release, totalmem, arch } from 'node:os';

/** What a result was measured on: figures from different machines are not comparable. */
export interface MachineDescription {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  freeMemoryBytes: number;
  /** 1, 5 and 15 minute load averages when this was described: a busy machine skews results. */
  loadAverage: [number, number, number];
  node: string;
  platform: string;
  osRelease: string;
  arch: string;
  hostname: string;
}

export function describeMachine(): MachineDescription {
  const list = cpus();
  const [l1, l5, l15] = loadavg();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    loadAverage: [round2(l1 ?? 0), round2(l5 ?? 0), round2(l15 ?? 0)],
    node: process.version,
    platform: platform(),
    osRelease: release(),
    arch: arch(),
    hostname: hostname(),
  };
}

const round2 = (v: number) => Math.round(v * 100) / 100;
