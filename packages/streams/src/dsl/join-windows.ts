/**
 * The window of a stream-stream join, with Kafka Streams' names and semantics:
 * a record of this (left) stream at time t joins other-stream records with the same key
 * and a timestamp in [t - before, t + after]; an other-stream record at t looks at the
 * mirrored range [t - after, t + before]. Records may arrive up to `grace` late.
 */
export class JoinWindows {
  private constructor(
    /** How far back in time a left record looks for right records. */
    readonly beforeMs: number,
    /** How far forward in time a left record looks for right records. */
    readonly afterMs: number,
    private readonly graceMs: number,
  ) {
    if (beforeMs + afterMs < 0) {
      throw new RangeError(
        `JoinWindows: the window size (before + after = ${beforeMs} + ${afterMs}) must not be negative`,
      );
    }
    if (graceMs < 0)
      throw new RangeError(`JoinWindows: the grace period (${graceMs} ms) must not be negative`);
  }

  /** A symmetric window of ±timeDifferenceMs that admits records up to graceMs late. */
  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, afterWindowEndMs: number): JoinWindows {
    const difference = millis('timeDifferenceMs', timeDifferenceMs);
    if (difference < 0) {
      throw new RangeError(`JoinWindows: timeDifferenceMs (${difference}) must not be negative`);
    }
    return new JoinWindows(difference, difference, millis('afterWindowEndMs', afterWindowEndMs));
  }

  /** A symmetric window of ±timeDifferenceMs with no grace: late records find their window closed. */
  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): JoinWindows {
    return JoinWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }

  /** The same window with `before` changed (may be negative as long as before + after >= 0). */
  before(timeDifferenceMs: number): JoinWindows {
    return new JoinWindows(millis('before', timeDifferenceMs), this.afterMs, this.graceMs);
  }

  /** The same window with `after` changed (may be negative as long as before + after >= 0). */
  after(timeDifferenceMs: number): JoinWindows {
    return new JoinWindows(this.beforeMs, millis('after', timeDifferenceMs), this.graceMs);
  }

  /** before + after: the window size of the join stores. */
  size(): number {
    return this.beforeMs + this.afterMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }

  /** How long join stores keep records: size + grace (Kafka Streams' join store retention). */
  retentionMs(): number {
    return this.size() + this.graceMs;
  }

  toString(): string {
    return `JoinWindows{before=${this.beforeMs}, after=${this.afterMs}, grace=${this.graceMs}}`;
  }
}

function millis(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`JoinWindows: ${name} must be a whole number of milliseconds, got ${String(value)}`);
  }
  return value;
}
