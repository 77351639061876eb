export interface ProgressState {
  elapsedMs: number;
  records: number;
  malformed: number;
  late: number;
  measuredOrders: number;
  drainOrders: number;
  /** How far the producer is behind its schedule, ms. */
  behindMs: number;
  /** orders: measured orders; drain: traffic that closes their windows; tail: only held-back (late) sends left. */
  phase: 'orders' | 'drain' | 'tail';
  /** Planned sends not yet sent. */
  pending: number;
  target: string;
}

/**
 * One status line: rewritten in place on a terminal, printed every few seconds
 * otherwise (CI logs), so long runs show they are alive without flooding.
 */
export class ProgressLine {
  private lastAt = 0;
  private lastRecords = 0;
  private rate = 0;
  private readonly tty: boolean;

  constructor(
    private readonly enabled: boolean,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(out.isTTY);
  }

  update(s: ProgressState, force = false): void {
    if (!this.enabled) return;
    const every = this.tty ? 1_000 : 5_000;
    if (!force && s.elapsedMs - this.lastAt < every) return;
    const span = s.elapsedMs - this.lastAt;
    if (span > 0) this.rate = ((s.records - this.lastRecords) * 1000) / span;
    this.lastAt = s.elapsedMs;
    this.lastRecords = s.records;
    const line =
      `loadgen ${(s.elapsedMs / 1000).toFixed(1)}s [${s.phase}] ` +
      `records ${s.records} (${Math.round(this.rate)}/s) | orders ${s.measuredOrders}${s.target}` +
      (s.drainOrders ? ` +${s.drainOrders} drain` : '') +
      ` | late ${s.late} | malformed ${s.malformed} | behind ${(Math.max(0, s.behindMs) / 1000).toFixed(1)}s` +
      (s.phase === 'tail' ? ` | ${s.pending} held-back record(s) to send` : '');
    if (this.tty) this.out.write(`\r\x1b[2K${line}`);
    else this.out.write(`${line}\n`);
  }

  done(): void {
    if (this.enabled && this.tty) this.out.write('\n');
  }
}
