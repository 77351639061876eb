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
  /** The user's joiner, always (leftValue, rightValue). */
  joiner: ValueJoiner<VL, VR, VOut>;
  trackers: JoinTimeTrackers;
}

type OuterStore<K, VL, VR> = KeyValueStore<OuterJoinKey<K>, Array<LeftOrRightValue<VL, VR>>>;

/**
 * One side of a stream-stream join (Kafka Streams' KStreamKStreamJoin with the
 * spurious-result fix of KIP-633 / KAFKA-10847): a record joins the other side's store
 * over its window; a record of an outer side that finds no partner waits in the shared
 * outer store and is emitted with a null partner only once its window has closed
 * (stream time > t + lookahead + grace), or at once if it arrives after that.
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

    async function emitClosedOuterRecords(store: OuterStore<K, VL, VR>, trigger: StreamRecord<K, unknown>) {
      const streamTime = time.streamTimeMs;
      // nothing waiting can have closed yet: skip the scan. Kafka Streams checks with this
      // side's look-ahead only, which with asymmetric windows delays the other side's
      // results until a record of that side arrives; the smaller of both never does.
      if (time.minTimeMs + Math.min(options.afterMs, options.beforeMs) + graceMs >= streamTime) return;
      // throttle scans by wall clock, a performance measure only (Kafka Streams: 1 s)
      const now = context.currentSystemTimeMs();
      if (now < time.nextEmitWallClockMs) return;
      time.nextEmitWallClockMs = now + time.emitIntervalMs;

      // entries at or after this timestamp are open on both sides
      const bound = streamTime - Math.min(options.afterMs, options.beforeMs) - graceMs;
      const entries = await store.range(undefined, { timestamp: bound, leftSide: false, key: undefined });
      let minOpen = Number.POSITIVE_INFINITY;
      for (const { key: outerKey, value: list } of entries) {
        if (outerKey.timestamp + sideLookAhead(outerKey.leftSide) + graceMs >= streamTime) {
          minOpen = Math.min(minOpen, outerKey.timestamp);
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
        await store.delete(outerKey);
      }
      // the oldest entry left past the scanned range bounds what can close next
      const [next] = await store.range({ timestamp: bound, leftSide: false, key: undefined }, undefined, 1);
      time.minTimeMs = Math.min(minOpen, next ? next.key.timestamp : Number.POSITIVE_INFINITY);
    }

    return {
      init(ctx) {
        context = ctx;
        otherStore = ctx.getStateStore<WindowStore<K, VL | VR>>(options.otherStoreName);
        if (options.outerStoreName)
          outerStore = ctx.getStateStore<OuterStore<K, VL, VR>>(options.outerStoreName);
        time = options.trackers.acquire(ctx.taskId);
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
        if (outerStore && t === time.streamTimeMs) await emitClosedOuterRecords(outerStore, record);

        const from = Math.max(0, t - lookBackMs);
        const to = Math.max(0, t + lookAheadMs);
        const matches = await otherStore.fetch(record.key, from, to);
        for (const other of matches) {
          if (outerStore) {
            // the other record found a partner: it must never be emitted as unmatched
            const otherKey: OuterJoinKey<K> = {
              timestamp: other.timestamp,
              leftSide: !isLeft,
              key: record.key,
            };
            if ((await outerStore.get(otherKey)) !== undefined) await outerStore.delete(otherKey);
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
