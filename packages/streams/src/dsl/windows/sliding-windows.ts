import { millis } from './millis';

/**
 * Kafka Streams' SlidingWindows: windows [start, start + timeDifference] (both ends
 * inclusive) that slide with the records of a key, so each distinct set of records at
 * most timeDifference apart is one window. Grace as for TimeWindows.
 */
export class SlidingWindows {
  private constructor(
    readonly timeDifferenceMs: number,
    private readonly graceMs: number,
  ) {}

  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): SlidingWindows {
    return SlidingWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }

  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, afterWindowEndMs: number): SlidingWindows {
    const difference = millis('SlidingWindows', 'timeDifference', timeDifferenceMs);
    // Kafka Streams accepts 0 here but then fails on every record ("Window endMs must be
    // greater than window startMs"): a window [t, t] cannot exist, so say so up front
    if (difference === 0)
      throw new RangeError('SlidingWindows: the time difference must be larger than zero');
    return new SlidingWindows(difference, millis('SlidingWindows', 'afterWindowEnd', afterWindowEndMs));
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }
}
