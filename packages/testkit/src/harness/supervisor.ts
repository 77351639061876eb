import type { ExitStatus, ManagedProcess } from './process';
import { sleep } from './sleep';

export interface SupervisorOptions {
  /** Start the process again when it exits unasked (default true). */
  restartOnCrash?: boolean;
  /** Wait before a restart, so a process that dies at start does not spin (default 1 s). */
  restartDelayMs?: number;
  /** Give up after this many restarts in a row without the process staying up `stableMs`. */
  maxRestarts?: number;
  /** How long a process must run for its crash to count as a new series (default 60 s). */
  stableMs?: number;
  /** Told about every crash, and whether a restart follows. */
  onCrash?: (crash: Crash) => void;
}

export interface Crash {
  status: ExitStatus;
  /** Unix ms. */
  at: number;
  restarting: boolean;
}

export type SupervisedState = 'running' | 'restarting' | 'down' | 'stopped';

/**
 * Keeps one logical process alive: `start(n)` makes the n-th incarnation (0 first), e.g.
 * with the same state directory and port. An exit that `stop()` did not ask for is a crash.
 */
export class Supervisor {
  readonly crashes: Crash[] = [];
  private readonly started: ManagedProcess[] = [];
  private stopping = false;
  private pendingRestart: Promise<void> | undefined;
  private failedInARow = 0;
  private readonly options: Required<Omit<SupervisorOptions, 'onCrash'>> & Pick<SupervisorOptions, 'onCrash'>;

  constructor(
    readonly name: string,
    private readonly start: (incarnation: number) => ManagedProcess,
    options: SupervisorOptions = {},
  ) {
    this.options = {
      restartOnCrash: true,
      restartDelayMs: 1_000,
      maxRestarts: 5,
      stableMs: 60_000,
      ...options,
    };
    this.launch();
  }

  /** The latest incarnation (running or not). */
  get current(): ManagedProcess {
    return this.started.at(-1)!;
  }

  /** Every process it started, restarted ones included. */
  get all(): readonly ManagedProcess[] {
    return this.started;
  }

  get restarts(): number {
    return this.started.length - 1;
  }

  get state(): SupervisedState {
    if (this.stopping) return 'stopped';
    if (this.current.running) return 'running';
    return this.pendingRestart ? 'restarting' : 'down';
  }

  /** Up, or about to be again: what a readiness wait should keep waiting for. */
  get running(): boolean {
    return this.state === 'running' || this.state === 'restarting';
  }

  get logPath(): string | undefined {
    return this.current.logPath;
  }

  tail(lines?: number): string {
    return this.current.tail(lines);
  }

  /** Stops the current incarnation and any restart still to come. */
  async stop(options: { signal?: NodeJS.Signals; graceMs?: number } = {}): Promise<ExitStatus> {
    this.stopping = true;
    await this.pendingRestart;
    const results = await Promise.all(this.started.map((p) => p.stop(options)));
    return results.at(-1)!;
  }

  private launch(): void {
    const proc = this.start(this.started.length);
    const startedAt = Date.now();
    this.started.push(proc);
    void proc.exited.then((status) => {
      if (this.stopping) return;
      this.failedInARow = Date.now() - startedAt >= this.options.stableMs ? 1 : this.failedInARow + 1;
      const restarting = this.options.restartOnCrash && this.failedInARow <= this.options.maxRestarts;
      const crash = { status, at: Date.now(), restarting };
      this.crashes.push(crash);
      this.options.onCrash?.(crash);
      if (!restarting) return;
      this.pendingRestart = sleep(this.options.restartDelayMs).then(() => {
        this.pendingRestart = undefined;
        if (!this.stopping) this.launch();
      });
    });
  }
}
