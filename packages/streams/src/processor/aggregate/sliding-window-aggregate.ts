import type { SlidingWindows } from '../../dsl/windows/sliding-windows';
import type { ValueAndTimestamp } from '../../state/timestamped';
import type { Headers, StreamRecord, TimeWindow, Windowed } from '../../types/index';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import type { Change, SendOldValues } from '../table/change';
import { recordDropped } from './dropped';
import type { TupleForwarder } from './tuple-forwarder';
import { windowForwarder, type AggregateWindowStore } from './window-aggregate';

/**
 * Kafka Streams' KStreamSlidingWindowAggregate (its reverse-iterating variant): every record has a
 * left window [t - d, t] and, when later records of its key lie within d, a right window
 * [t + 1, t + 1 + d]; windows are stored by start with the timestamp of their newest
 * record, and an arriving record updates every stored window it falls into, creates its
 * own left and right windows and the right window of the record just before it. Records
 * before d are put into [0, d] (no negative starts). A record whose windows all closed
 * (t + d < stream time - grace) is dropped and counted; null keys and values too.
 */
export function slidingWindowAggregateProcessor<K, V, VA>(
  storeName: string,
  windows: SlidingWindows,
  initializer: () => VA,
  aggregator: (key: K, value: V, aggregate: VA) => VA,
  flags: SendOldValues,
): ProcessorSupplier<K, V, Windowed<K>, Change<VA>> {
  const d = windows.timeDifferenceMs;
  return (): Processor<K, V, Windowed<K>, Change<VA>> => {
    let context!: ProcessorContext<Windowed<K>, Change<VA>>;
    let store!: AggregateWindowStore<K, VA>;
    let forwarder!: TupleForwarder<{ key: K; start: number }, Windowed<K>, VA>;
    let observedStreamTime = -1;

    const windowAt = (start: number): TimeWindow => ({ start, end: start + d });

    /** Folds the record into a window (existing or new), unless the window has closed. */
    async function update(
      record: StreamRecord<K, V>,
      window: TimeWindow,
      current: ValueAndTimestamp<VA>,
      closeTime: number,
    ): Promise<void> {
      if (window.end < closeTime) {
        recordDropped(context, 'late');
        return;
      }
      const newAgg = aggregator(record.key, record.value, current.value);
      const timestamp = Math.max(record.timestamp, current.timestamp);
      await store.put(record.key, { value: newAgg, timestamp }, window.start);
      await forwarder.maybeForward(
        { key: record.key, window },
        newAgg,
        current.value,
        timestamp,
        record.headers,
      );
    }

    async function putRight(key: K, start: number, agg: ValueAndTimestamp<VA>, headers: Headers) {
      const window = windowAt(start);
      await store.put(key, agg, start);
      await forwarder.maybeForward({ key, window }, agg.value, null, agg.timestamp, headers);
    }

    const fresh = (timestamp: number): ValueAndTimestamp<VA> => ({ value: initializer(), timestamp });

    async function processEarly(record: StreamRecord<K, V>, closeTime: number): Promise<void> {
      const t = record.timestamp;
      let combined: { start: number; value: ValueAndTimestamp<VA> } | null = null;
      let rightAgg: ValueAndTimestamp<VA> | null = null;
      let rightCreated = false;
      const starts = new Set<number>();
      let previous: number | null = null;
      for (const { timestamp: start, value } of await store.fetch(record.key, 0, t + 1)) {
        starts.add(start);
        if (start === 0) {
          combined = { start, value };
          if (value.timestamp < t) previous = value.timestamp;
        } else if (start <= t) {
          rightAgg = value;
          await update(record, windowAt(start), value, closeTime);
        } else if (start === t + 1) {
          rightCreated = true;
        }
      }
      if (rightAgg === null && combined !== null && combined.value.timestamp > t) rightAgg = combined.value;
      if (!rightCreated && rightAgg !== null && rightAgg.timestamp > t)
        await putRight(record.key, t + 1, rightAgg, record.headers);
      if (previous !== null && !starts.has(previous + 1))
        await update(record, windowAt(previous + 1), fresh(t), closeTime);
      if (combined === null) await update(record, windowAt(0), fresh(t), closeTime);
      else await update(record, windowAt(0), combined.value, closeTime);
    }

    interface Found {
      starts: Set<number>;
      leftAgg: ValueAndTimestamp<VA> | null;
      rightAgg: ValueAndTimestamp<VA> | null;
      leftCreated: boolean;
      rightCreated: boolean;
      previous: number | null;
    }

    /**
     * Kafka Streams' processReverse, the path it takes with its own stores (they all iterate
     * backwards): the windows from the newest start down, so the updates go out in that
     * order; it stops at the first window that ends before the record (the previous
     * record's left window), and returns early when the record's left window already holds
     * a record at or after it (every window it needs exists then).
     */
    async function processReverse(record: StreamRecord<K, V>, closeTime: number): Promise<void> {
      const t = record.timestamp;
      const f: Found = {
        starts: new Set(),
        leftAgg: null,
        rightAgg: null,
        leftCreated: false,
        rightCreated: false,
        previous: null,
      };
      const stored = await store.fetch(record.key, Math.max(0, t - 2 * d), t + 1);
      for (let i = stored.length - 1; i >= 0; i--) {
        const { timestamp: start, value } = stored[i]!;
        f.starts.add(start);
        const end = start + d;
        if (start === t + 1) {
          f.rightCreated = true;
        } else if (end > t) {
          if (f.rightAgg === null) f.rightAgg = value;
          await update(record, windowAt(start), value, closeTime);
        } else if (end === t) {
          f.leftCreated = true;
          await update(record, windowAt(start), value, closeTime);
          if (value.timestamp < t) f.previous = value.timestamp;
          else return;
        } else {
          f.leftAgg = value;
          f.previous = value.timestamp;
          break;
        }
      }
      await createWindows(record, closeTime, f);
    }

    async function createWindows(record: StreamRecord<K, V>, closeTime: number, f: Found): Promise<void> {
      const t = record.timestamp;
      if (f.previous !== null) {
        const previousRightStart = f.previous + 1;
        if (!f.starts.has(previousRightStart) && previousRightStart + d >= t)
          await update(record, windowAt(previousRightStart), fresh(t), closeTime);
      }
      if (!f.leftCreated) {
        const leftNotEmpty = f.previous !== null && t - d <= f.previous;
        const start = leftNotEmpty && f.leftAgg ? { value: f.leftAgg.value, timestamp: t } : fresh(t);
        await update(record, windowAt(t - d), start, closeTime);
      }
      if (!f.rightCreated && f.rightAgg !== null && f.rightAgg.timestamp > t)
        await putRight(record.key, t + 1, f.rightAgg, record.headers);
    }

    return {
      init(ctx) {
        context = ctx;
        store = ctx.getStateStore(storeName);
        forwarder = windowForwarder(ctx, store, windowAt, flags.sendOldValues);
      },
      async process(record: StreamRecord<K, V>) {
        if (
          record.key === null ||
          record.key === undefined ||
          record.value === null ||
          record.value === undefined
        ) {
          recordDropped(context, 'null-key-or-value');
          return;
        }
        observedStreamTime = Math.max(observedStreamTime, record.timestamp);
        const closeTime = observedStreamTime - windows.gracePeriodMs();
        if (record.timestamp + d < closeTime) {
          recordDropped(context, 'late');
          return;
        }
        if (record.timestamp < d) await processEarly(record, closeTime);
        else await processReverse(record, closeTime);
      },
    };
  };
}
