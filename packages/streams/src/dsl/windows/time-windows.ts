import type { TimeWindow } from '../../types/index';
import { millis } from './millis';

/**
 * Kafka Streams' TimeWindows: fixed-size windows [start, start + size) (end exclusive),
 * tumbling when advance = size, hopping when advance < size, aligned to the epoch. A
 * window accepts records until stream time passes its end + grace; later ones are dropped.
 */
export class TimeWindows {
  private constructor(
    readonly sizeMs: number,
    readonly advanceMs: number,
    private readonly graceMs: number,
  ) {}

  /** Tumbling windows of `sizeMs` that close at their end. */
  static ofSizeWithNoGrace(sizeMs: number): TimeWindows {
    return TimeWindows.ofSizeAndGrace(sizeMs, 0);
  }

  /** Tumbling windows of `sizeMs` that accept records until `afterWindowEndMs` past their end. */
  static ofSizeAndGrace(sizeMs: number, afterWindowEndMs: number): TimeWindows {
    const size = millis('TimeWindows', 'size', sizeMs);
    if (size === 0) throw new RangeError('TimeWindows: size must be larger than zero');
    return new TimeWindows(size, size, millis('TimeWindows', 'afterWindowEnd', afterWindowEndMs));
  }

  /** Hopping windows: a new window every `advanceMs` (0 < advance <= size). */
  advanceBy(advanceMs: number): TimeWindows {
    const advance = millis('TimeWindows', 'advance', advanceMs);
    if (advance === 0 || advance > this.sizeMs) {
      throw new RangeError(
        `TimeWindows: the advance (${advance} ms) must lie within (0, size = ${this.sizeMs} ms]`,
      );
    }
    return new TimeWindows(this.sizeMs, advance, this.graceMs);
  }

  /** The windows containing `timestamp`, by start: the first starts at max(0, ts - size + advance) rounded down to a multiple of advance. */
  windowsFor(timestamp: number): TimeWindow[] {
    let start =
      Math.floor(Math.max(0, timestamp - this.sizeMs + this.advanceMs) / this.advanceMs) * this.advanceMs;
    const out: TimeWindow[] = [];
    while (start <= timestamp) {
      out.push({ start, end: start + this.sizeMs });
      start += this.advanceMs;
    }
    return out;
  }

  size(): number {
    return this.sizeMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }
}
