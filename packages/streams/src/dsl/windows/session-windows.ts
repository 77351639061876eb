import { millis } from './millis';

/**
 * Kafka Streams' SessionWindows: records of a key at most `inactivityGap` apart belong to
 * one session [first, last] (both inclusive); a record that bridges two sessions merges
 * them. A session accepts records until stream time passes its end + gap + grace.
 */
export class SessionWindows {
  private constructor(
    private readonly gapMs: number,
    private readonly graceMs: number,
  ) {}

  static ofInactivityGapWithNoGrace(inactivityGapMs: number): SessionWindows {
    return SessionWindows.ofInactivityGapAndGrace(inactivityGapMs, 0);
  }

  static ofInactivityGapAndGrace(inactivityGapMs: number, afterWindowEndMs: number): SessionWindows {
    const gap = millis('SessionWindows', 'inactivityGap', inactivityGapMs);
    if (gap === 0) throw new RangeError('SessionWindows: the inactivity gap must be larger than zero');
    return new SessionWindows(gap, millis('SessionWindows', 'afterWindowEnd', afterWindowEndMs));
  }

  inactivityGap(): number {
    return this.gapMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }
}
