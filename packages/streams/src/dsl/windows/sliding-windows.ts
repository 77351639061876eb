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
    return new SlidingWindows(
      millis('SlidingWindows', 'timeDifference', timeDifferenceMs),
      millis('SlidingWindows', 'afterWindowEnd', afterWindowEndMs),
    );
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }
}
