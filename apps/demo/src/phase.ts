/** Where a run is: load (orders arrive), drain (traffic that closes their windows), verify. */
export interface Phase {
  name: 'starting' | 'load' | 'drain' | 'verify';
  /** Time left in the phase; undefined when not known (yet). */
  leftMs: number | undefined;
  /** What it waits for, for the header line. */
  detail: string;
}

export interface PhaseInput {
  now: number;
  /** When the load generator started producing (its manifest header), once known. */
  loadStartedAt: number | undefined;
  durationMs: number;
  /** The drain that follows the load (the manifest header's drainMs), once known. */
  drainMs: number | undefined;
  loadgenDone: boolean;
  /** The verifier's --timeout. */
  verifyTimeoutMs: number;
  verifierStartedAt: number;
}

export function phaseOf(p: PhaseInput): Phase {
  if (p.loadgenDone) {
    const left = p.verifierStartedAt + p.verifyTimeoutMs - p.now;
    return {
      name: 'verify',
      leftMs: Math.max(0, left),
      detail: 'the verifier reads the last results (at most)',
    };
  }
  if (p.loadStartedAt === undefined)
    return { name: 'starting', leftMs: undefined, detail: 'load generator starting' };
  const loadEnd = p.loadStartedAt + p.durationMs;
  if (p.now < loadEnd) return { name: 'load', leftMs: loadEnd - p.now, detail: 'orders arrive' };
  const drainEnd = p.drainMs === undefined ? undefined : loadEnd + p.drainMs;
  return {
    name: 'drain',
    leftMs: drainEnd === undefined ? undefined : Math.max(0, drainEnd - p.now),
    detail: 'traffic that closes every window of the last orders',
  };
}

export function clock(ms: number): string {
  const t = Math.round(ms / 1000);
  return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
}

export function describePhase(p: Phase): string {
  return `${p.name}${p.leftMs === undefined ? '' : ` ${clock(p.leftMs)} left`} (${p.detail})`;
}
