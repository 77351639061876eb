import type { Cancellable, PunctuationType } from '../../processor/api';

interface Schedule {
  readonly intervalMs: number;
  readonly type: PunctuationType;
  readonly punctuator: (timestampMs: number) => Promise<void> | void;
  /** Undefined until the clock is first seen: the first punctuation is one interval later. */
  next: number | undefined;
  cancelled: boolean;
  /** The node whose context scheduled it, so forwards inside it start at that node. */
  readonly run: (fn: () => Promise<void>) => Promise<void>;
}

/** A task's punctuation schedules (Kafka Streams' PunctuationQueue), one per time type. */
export class Punctuations {
  private schedules: Schedule[] = [];

  schedule(
    intervalMs: number,
    type: PunctuationType,
    punctuator: (timestampMs: number) => Promise<void> | void,
    run: (fn: () => Promise<void>) => Promise<void>,
    now: number | undefined,
  ): Cancellable {
    if (!(intervalMs > 0)) throw new Error(`punctuation interval must be positive, got ${intervalMs}`);
    const s: Schedule = {
      intervalMs,
      type,
      punctuator,
      next: now === undefined || now < 0 ? undefined : now + intervalMs,
      cancelled: false,
      run,
    };
    this.schedules.push(s);
    return {
      cancel: () => {
        s.cancelled = true;
        this.schedules = this.schedules.filter((x) => x !== s);
      },
    };
  }

  /** Runs the due punctuators of `type` at time `now`; returns how many ran. */
  async maybePunctuate(type: PunctuationType, now: number): Promise<number> {
    if (now < 0) return 0;
    let ran = 0;
    for (const s of [...this.schedules]) {
      if (s.type !== type || s.cancelled) continue;
      if (s.next === undefined) {
        s.next = now + s.intervalMs;
        continue;
      }
      if (now < s.next) continue;
      // One call per due schedule, however far time jumped; the next one is aligned to the interval.
      const missed = Math.floor((now - s.next) / s.intervalMs);
      s.next += (missed + 1) * s.intervalMs;
      await s.run(async () => {
        await s.punctuator(now);
      });
      ran++;
    }
    return ran;
  }
}
