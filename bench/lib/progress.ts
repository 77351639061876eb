/** One line that says which run is going and roughly how long is left. */
export class Progress {
  private readonly started = Date.now();
  private done = 0;
  private timer: NodeJS.Timeout | undefined;
  private label = '';
  private runStarted = Date.now();

  constructor(
    private readonly scenario: string,
    private readonly total: number,
    /** Guess for a run before one has finished. */
    private readonly guessRunMs: number,
  ) {}

  begin(label: string): void {
    this.label = label;
    this.runStarted = Date.now();
    this.print();
    if (!this.timer) this.timer = setInterval(() => this.print(), process.stderr.isTTY ? 1_000 : 15_000);
  }

  end(): void {
    this.done++;
  }

  finish(): void {
    if (this.timer) clearInterval(this.timer);
    if (process.stderr.isTTY) process.stderr.write('\n');
  }

  private print(): void {
    const elapsed = Date.now() - this.started;
    const perRun = this.done ? (elapsed - (Date.now() - this.runStarted)) / this.done : this.guessRunMs;
    const left = Math.max(0, perRun * (this.total - this.done) - (Date.now() - this.runStarted));
    const line = `[${this.scenario}] run ${Math.min(this.done + 1, this.total)}/${this.total} ${this.label} · this run ${fmt(Date.now() - this.runStarted)} · elapsed ${fmt(elapsed)} · ~${fmt(left)} left`;
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}`);
    else process.stderr.write(`${line}\n`);
  }
}

export function fmt(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
