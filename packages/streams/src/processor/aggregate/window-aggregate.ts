import type { TimeWindows } from '../../dsl/windows/time-windows';
import type { WindowStore } from '../../state/api';
import type { ValueAndTimestamp } from '../../state/timestamped';
import type { StreamRecord, TimeWindow, Windowed } from '../../types/index';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import type { Change, SendOldValues } from '../table/change';
import { recordDropped } from './dropped';
import type { Combine } from './stream-aggregate';
import { TupleForwarder } from './tuple-forwarder';

/** A window store of aggregates that can forward through its record cache. */
export type AggregateWindowStore<K, VA> = WindowStore<K, ValueAndTimestamp<VA>> & {
  setFlushListener(
    listener: (
      key: K,
      windowStartMs: number,
      newValue: ValueAndTimestamp<VA>,
      oldValue: ValueAndTimestamp<VA> | null,
    ) => Promise<void>,
  ): boolean;
};

/** The window-store flavour of TupleForwarder: keys are (key, window start). */
export function windowForwarder<K, VA>(
  context: ProcessorContext<Windowed<K>, Change<VA>>,
  store: AggregateWindowStore<K, VA>,
  windowOf: (start: number) => TimeWindow,
  sendOldValues: boolean,
): TupleForwarder<{ key: K; start: number }, Windowed<K>, VA> {
  return new TupleForwarder<{ key: K; start: number }, Windowed<K>, VA>(
    context,
    (listener) =>
      store.setFlushListener((key, start, newValue, oldValue) =>
        listener({ key, start }, newValue, oldValue),
      ),
    ({ key, start }) => ({ key, window: windowOf(start) }),
    sendOldValues,
  );
}

/** The aggregate of `key` in the window starting at `start`, if any. */
export async function fetchWindow<K, VA>(
  store: WindowStore<K, ValueAndTimestamp<VA>>,
  key: K,
  start: number,
): Promise<ValueAndTimestamp<VA> | null> {
  const [entry] = await store.fetch(key, start, start);
  return entry ? entry.value : null;
}

/**
 * Stores a window's new aggregate. Kafka Streams' window store deletes the window on a
 * null value (a reduce whose first value is null): a window that was not stored stays
 * absent, so the next record starts it afresh. Window stores here have no delete yet, so
 * a null replacing a stored aggregate fails the record instead of keeping a stale value.
 */
export async function putWindow<K, VA>(
  store: WindowStore<K, ValueAndTimestamp<VA>>,
  key: K,
  start: number,
  old: ValueAndTimestamp<VA> | null,
  newAgg: VA | null,
  timestamp: number,
): Promise<void> {
  if (newAgg !== null && newAgg !== undefined) {
    await store.put(key, { value: newAgg, timestamp }, start);
    return;
  }
  if (old)
    throw new Error(
      `window aggregation: the aggregator returned null for the stored window at ${start} (deleting a window is not supported)`,
    );
}

/**
 * Kafka Streams' KStreamWindowAggregate (emit on every window update): a record updates
 * every time window that contains it and is still open, i.e. whose end > stream time -
 * grace; for each closed one it is dropped and counted. Stream time is the largest
 * timestamp this processor has seen. Null keys are dropped and counted.
 */
export function windowAggregateProcessor<K, V, VA>(
  storeName: string,
  windows: TimeWindows,
  combine: Combine<K, V, VA>,
  flags: SendOldValues,
): ProcessorSupplier<K, V, Windowed<K>, Change<VA>> {
  return (): Processor<K, V, Windowed<K>, Change<VA>> => {
    let context!: ProcessorContext<Windowed<K>, Change<VA>>;
    let store!: AggregateWindowStore<K, VA>;
    let forwarder!: TupleForwarder<{ key: K; start: number }, Windowed<K>, VA>;
    let observedStreamTime = -1;
    return {
      init(ctx) {
        context = ctx;
        store = ctx.getStateStore(storeName);
        forwarder = windowForwarder(
          ctx,
          store,
          (start) => ({ start, end: start + windows.sizeMs }),
          flags.sendOldValues,
        );
      },
      async process(record: StreamRecord<K, V>) {
        if (record.key === null || record.key === undefined) {
          recordDropped(context, 'null-key-or-value');
          return;
        }
        const timestamp = record.timestamp;
        observedStreamTime = Math.max(observedStreamTime, timestamp);
        const closeTime = observedStreamTime - windows.gracePeriodMs();
        for (const window of windows.windowsFor(timestamp)) {
          if (window.end <= closeTime) {
            recordDropped(context, 'late');
            continue;
          }
          const old = await fetchWindow(store, record.key, window.start);
          const oldAgg = old ? old.value : combine.initial();
          const newAgg = combine(record.key, record.value, oldAgg);
          const newTimestamp = old ? Math.max(timestamp, old.timestamp) : timestamp;
          await putWindow(store, record.key, window.start, old, newAgg, newTimestamp);
          await forwarder.maybeForward(
            { key: record.key, window },
            newAgg,
            oldAgg,
            newTimestamp,
            record.headers,
          );
        }
      },
    };
  };
}
