import type { KeyValueStore, WindowStore } from '../../state/api';
import type { StreamRecord } from '../../types/index';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../api';
import type { LeftOrRightValue, OuterJoinKey } from './outer-join-store';
import type { JoinTimeTracker, JoinTimeTrackers } from './time-tracker';

export type ValueJoiner<VL, VR, VOut> = (left: VL | null, right: VR | null) => VOut;

export interface JoinSideOptions<VL, VR, VOut> {
  side: 'left' | 'right';
  otherStoreName: string;
  /** The shared outer store of left/outer joins; null for inner joins. */
  outerStoreName: string | null;
  /** JoinWindows' before/after (left-side view) and grace. */
  beforeMs: number;
  afterMs: number;
  graceMs: number;
  /** Whether records of this side are emitted without a partner (left side of leftJoin, both of outerJoin). */
  outer: boolean;
  /** The same for the other side: only then can a partner wait in the outer store. */
  otherOuter: boolean;
  /** The user's joiner, always (leftValue, rightValue). */
  joiner: ValueJoiner<VL, VR, VOut>;
  trackers: JoinTimeTrackers;
}

/** Entries read per range call of a scan; a scan mostly stops early, at the first open entries. */
const SCAN_PAGE = 64;

type OuterStore<K, VL, VR> = KeyValueStore<OuterJoinKey<K>, Array<LeftOrRightValue<VL, VR>>>;

/**
 * One side of a stream-stream join (Kafka Streams' KStreamKStreamJoin with the
 * spurious-result fix of KIP-633 / KAFKA-10847): a record joins the other side's store
 * over its window; a record of an outer side that finds no partner waits in the shared
 * outer store and is emitted with a null partner only once its window has closed
 * (stream time > t + lookahead + grace) and a scan of the outer store runs (see
 * emitNonJoinedOuterRecords), or at once if it arrives after its window closed.
 */
export function joinSideProcessor<K, VL, VR, VOut>(
  options: JoinSideOptions<VL, VR, VOut>,
): ProcessorSupplier<K, VL | VR, K, VOut> {
  const isLeft = options.side === 'left';
  // how far this side's records look back and ahead into the other side
  const lookBackMs = isLeft ? options.beforeMs : options.afterMs;
  const lookAheadMs = isLeft ? options.afterMs : options.beforeMs;
  const { graceMs } = options;
  const sideLookAhead = (leftSide: boolean) => (leftSide ? options.afterMs : options.beforeMs);

  return (): Processor<K, VL | VR, K, VOut> => {
    let context!: ProcessorContext<K, VOut>;
    let otherStore!: WindowStore<K, VL | VR>;
    let outerStore: OuterStore<K, VL, VR> | null = null;
    let time!: JoinTimeTracker;

    const join = (thisValue: VL | VR | null, otherValue: VL | VR | null): VOut =>
      isLeft
        ? options.joiner(thisValue as VL | null, otherValue as VR | null)
        : options.joiner(otherValue as VL | null, thisValue as VR | null);

    const drop = () =>
      context.events.emit('record.dropped', {
        taskId: context.taskId,
        processor: context.processorName,
        reason: 'null-key-or-value',
        count: 1,
      });

    /**
     * Kafka Streams' KStreamKStreamJoin#emitNonJoinedOuterRecords, step for step:
     * 1. skip unless the oldest waiting record may have closed by this side's look-ahead
     *    (`minTime + lookAhead + grace < streamTime`, in Java long arithmetic: with nothing
     *    waiting yet it overflows and the scan runs, see JoinTimeTracker#mayHaveClosed);
     * 2. skip unless the wall clock has reached the next allowed scan, then move that
     *    to now + emit interval;
     * 3. scan from the oldest entry, each entry's window judged by its own side's
     *    look-ahead (left: after, right: before); emit and delete the closed ones, skip the
     *    open ones, stop at the first entry after both sides have met an open one;
     * 4. minTime becomes the timestamp of the last entry the scan looked at (deleted or
     *    not), or +Infinity if the store was empty.
     */
    async function emitNonJoinedOuterRecords(
      store: OuterStore<K, VL, VR>,
      trigger: StreamRecord<K, unknown>,
    ) {
      const streamTime = time.streamTimeMs;
      if (!time.mayHaveClosed(lookAheadMs + graceMs)) return;
      const now = context.currentSystemTimeMs();
      if (now < time.nextEmitWallClockMs) return;
      time.nextEmitWallClockMs = now + time.emitIntervalMs;
      time.minTimeMs = Number.POSITIVE_INFINITY;

      let leftOpen = false;
      let rightOpen = false;
      let from: OuterJoinKey<K> | undefined;
      // the entry `from` points at is still in the store (open) and comes first on the next page
      let skipFirst = false;
      for (;;) {
        const limit = SCAN_PAGE + (skipFirst ? 1 : 0);
        const page = await store.range(from, undefined, limit);
        const entries = skipFirst ? page.slice(1) : page;
        for (const { key: outerKey, value: list } of entries) {
          time.minTimeMs = outerKey.timestamp;
          if (leftOpen && rightOpen) return;
          if (outerKey.timestamp + sideLookAhead(outerKey.leftSide) + graceMs >= streamTime) {
            if (outerKey.leftSide) leftOpen = true;
            else rightOpen = true;
            from = outerKey;
            skipFirst = true;
            continue;
          }
          for (const item of list) {
            const value =
              item.side === 'left' ? options.joiner(item.value, null) : options.joiner(null, item.value);
            await context.forward({
              key: outerKey.key as K,
              value,
              timestamp: outerKey.timestamp,
              headers: trigger.headers,
            });
          }
          // a blind delete, as Kafka Streams' put(key, null): no read first
          await store.delete(outerKey);
          from = outerKey;
          skipFirst = false;
        }
        if (page.length < limit) return;
      }
    }

    return {
      init(ctx) {
        context = ctx;
        otherStore = ctx.getStateStore<WindowStore<K, VL | VR>>(options.otherStoreName);
        if (options.outerStoreName)
          outerStore = ctx.getStateStore<OuterStore<K, VL, VR>>(options.outerStoreName);
        time = options.trackers.acquire(ctx.taskId);
        // Kafka Streams reads the interval from the app config at init (setEmitInterval)
        time.emitIntervalMs = options.trackers.emitIntervalMs ?? ctx.appConfigs().outerJoinEmitIntervalMs;
      },

      async process(record) {
        const t = record.timestamp;
        time.advance(t);
        const keyMissing = record.key === null || record.key === undefined;
        const valueMissing = record.value === null || record.value === undefined;
        if (options.outer && keyMissing && !valueMissing) {
          // KIP-962: a null key can never join, so an outer side emits it at once
          await context.forward({ ...record, value: join(record.value, null) });
          return;
        }
        if (keyMissing || valueMissing) {
          drop();
          return;
        }
        if (outerStore && t === time.streamTimeMs) await emitNonJoinedOuterRecords(outerStore, record);

        const from = Math.max(0, t - lookBackMs);
        const to = Math.max(0, t + lookAheadMs);
        const matches = await otherStore.fetch(record.key, from, to);
        for (const other of matches) {
          if (outerStore && options.otherOuter) {
            // the other record found a partner: it must never be emitted as unmatched. A blind
            // delete, no read first (Kafka Streams reads first, and logs a tombstone only for an
            // entry that exists; here an absent entry costs a tombstone in the changelog). A
            // partner of a non-outer side never waits in the store: no delete at all.
            await outerStore.delete({ timestamp: other.timestamp, leftSide: !isLeft, key: record.key });
          }
          await context.forward({
            key: record.key,
            value: join(record.value, other.value),
            timestamp: Math.max(t, other.timestamp),
            headers: record.headers,
          });
        }
        if (options.outer && matches.length === 0) {
          if (!outerStore || to < time.streamTimeMs) {
            // its window has closed already: nothing can join it any more
            await context.forward({ ...record, value: join(record.value, null) });
          } else {
            time.updateMinTime(t);
            const thisKey: OuterJoinKey<K> = { timestamp: t, leftSide: isLeft, key: record.key };
            const waiting = (await outerStore.get(thisKey)) ?? [];
            const item = (
              isLeft ? { side: 'left', value: record.value } : { side: 'right', value: record.value }
            ) as LeftOrRightValue<VL, VR>;
            await outerStore.put(thisKey, [...waiting, item]);
          }
        }
      },

      close() {
        if (context) options.trackers.release(context.taskId);
      },
    };
  };
}
