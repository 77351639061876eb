import type { ProcessorSupplier } from '../processor/api';
import { sessionWindowAggregateProcessor } from '../processor/aggregate/session-window-aggregate';
import { slidingWindowAggregateProcessor } from '../processor/aggregate/sliding-window-aggregate';
import { aggregateCombine, reduceCombine } from '../processor/aggregate/stream-aggregate';
import { windowAggregateProcessor } from '../processor/aggregate/window-aggregate';
import type { Change } from '../processor/table/change';
import { Serdes, type Serde } from '../serdes/serde';
import { SessionStoreBuilder } from '../state/session-store';
import { Stores } from '../state/stores';
import type { Windowed } from '../types/index';
import type { AggregationParts, KGroupedStream } from './kgrouped-stream';
import { KTable, noValueGetter } from './ktable';
import type { Materialized } from './table-options';
import { WindowedSerdes } from './windowed-serdes';
import type { SessionWindows } from './windows/session-windows';
import type { SlidingWindows } from './windows/sliding-windows';
import type { TimeWindows } from './windows/time-windows';

type AnyProcessor<VA> = ProcessorSupplier<unknown, unknown, unknown, Change<VA>>;

function logging<K, V>(m: Materialized<K, V>) {
  return { enabled: m.loggingEnabled ?? true, config: m.logConfig ?? {} };
}

function windowedTable<K, VA>(
  grouped: KGroupedStream<K, unknown>,
  parts: AggregationParts<K, VA>,
  graceMs: number,
  keySerde: Serde<Windowed<K>> | undefined,
): KTable<Windowed<K>, VA> {
  const { processorName, flags } = grouped.buildNodes(parts);
  return new KTable<Windowed<K>, VA>(
    grouped.stream.builder,
    processorName,
    keySerde,
    parts.materialized.valueSerde,
    {
      flags,
      // an aggregation has its store: it can always send old values
      enableSendingOldValues() {
        flags.sendOldValues = true;
        return true;
      },
      valueGetterSupplier: noValueGetter('windowed aggregation'),
      windowGraceMs: graceMs,
      queryableStoreName: parts.materialized.storeName ?? null,
    },
  );
}

function checkRetention(what: string, retentionMs: number, minimumMs: number): void {
  if (retentionMs < minimumMs) {
    throw new RangeError(
      `${what}: the store's retention (${retentionMs} ms) must be at least the window size + grace (${minimumMs} ms)`,
    );
  }
}

/** Kafka Streams' TimeWindowedKStream: count/reduce/aggregate per key and time window. */
export class TimeWindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStream<K, V>,
    private readonly windows: TimeWindows,
  ) {}

  count(materialized: Materialized<K, number> = {}): KTable<Windowed<K>, number> {
    return this.aggregate(
      () => 0,
      (_k, _v, n: number) => n + 1,
      { valueSerde: Serdes.long(), ...materialized },
    );
  }

  reduce(
    reducer: (aggregate: V, value: V) => V,
    materialized: Materialized<K, V> = {},
  ): KTable<Windowed<K>, V> {
    const m: Materialized<K, V> = { ...materialized };
    const valueSerde = m.valueSerde ?? this.grouped.valueSerde;
    if (valueSerde) m.valueSerde = valueSerde;
    return this.build('KSTREAM-REDUCE-', m, (storeName, flags) =>
      windowAggregateProcessor<K, V, V>(storeName, this.windows, reduceCombine(reducer), flags),
    );
  }

  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    materialized: Materialized<K, VA> = {},
  ): KTable<Windowed<K>, VA> {
    return this.build('KSTREAM-AGGREGATE-', materialized, (storeName, flags) =>
      windowAggregateProcessor<K, V, VA>(
        storeName,
        this.windows,
        aggregateCombine(initializer, aggregator),
        flags,
      ),
    );
  }

  private build<VA>(
    prefix: AggregationParts<K, VA>['prefix'],
    materialized: Materialized<K, VA>,
    processor: (
      storeName: string,
      flags: { sendOldValues: boolean },
    ) => ProcessorSupplier<K, V, Windowed<K>, Change<VA>>,
  ): KTable<Windowed<K>, VA> {
    const w = this.windows;
    const retentionMs = materialized.retentionMs ?? w.size() + w.gracePeriodMs();
    checkRetention('TimeWindows', retentionMs, w.size() + w.gracePeriodMs());
    const keySerde = materialized.keySerde ?? this.grouped.keySerde;
    const parts: AggregationParts<K, VA> = {
      prefix,
      materialized,
      store: (name) =>
        Stores.timestampedWindowStoreBuilder<K, VA>({
          name,
          retentionMs,
          windowSizeMs: w.size(),
          retainDuplicates: false,
          ...(keySerde ? { keySerde } : {}),
          ...(materialized.valueSerde ? { valueSerde: materialized.valueSerde } : {}),
          logging: logging(materialized),
        }),
      processor: processor as unknown as AggregationParts<K, VA>['processor'],
    };
    return windowedTable(
      this.grouped as KGroupedStream<K, unknown>,
      parts,
      w.gracePeriodMs(),
      keySerde ? WindowedSerdes.timeWindowedSerdeFrom(keySerde, w.size()) : undefined,
    );
  }
}

/** Kafka Streams' SlidingWindowedKStream. */
export class SlidingWindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStream<K, V>,
    private readonly windows: SlidingWindows,
  ) {}

  count(materialized: Materialized<K, number> = {}): KTable<Windowed<K>, number> {
    return this.aggregate(
      () => 0,
      (_k, _v, n: number) => n + 1,
      { valueSerde: Serdes.long(), ...materialized },
    );
  }

  reduce(
    reducer: (aggregate: V, value: V) => V,
    materialized: Materialized<K, V> = {},
  ): KTable<Windowed<K>, V> {
    const m: Materialized<K, V> = { ...materialized };
    const valueSerde = m.valueSerde ?? this.grouped.valueSerde;
    if (valueSerde) m.valueSerde = valueSerde;
    // as Kafka Streams: reduce is aggregate with a null start and the first value as the first aggregate
    const combine = reduceCombine<K, V>(reducer);
    return this.build(
      'KSTREAM-REDUCE-',
      m,
      () => null as unknown as V,
      (k, v, agg) => combine(k, v, agg),
    );
  }

  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    materialized: Materialized<K, VA> = {},
  ): KTable<Windowed<K>, VA> {
    return this.build('KSTREAM-AGGREGATE-', materialized, initializer, aggregator);
  }

  private build<VA>(
    prefix: AggregationParts<K, VA>['prefix'],
    materialized: Materialized<K, VA>,
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
  ): KTable<Windowed<K>, VA> {
    const w = this.windows;
    const d = w.timeDifferenceMs;
    const retentionMs = materialized.retentionMs ?? 2 * d + w.gracePeriodMs();
    checkRetention('SlidingWindows', retentionMs, 2 * d + w.gracePeriodMs());
    const keySerde = materialized.keySerde ?? this.grouped.keySerde;
    const parts: AggregationParts<K, VA> = {
      prefix,
      materialized,
      store: (name) =>
        Stores.timestampedWindowStoreBuilder<K, VA>({
          name,
          retentionMs,
          windowSizeMs: d,
          retainDuplicates: false,
          ...(keySerde ? { keySerde } : {}),
          ...(materialized.valueSerde ? { valueSerde: materialized.valueSerde } : {}),
          logging: logging(materialized),
        }),
      processor: (storeName, flags) =>
        slidingWindowAggregateProcessor<K, V, VA>(
          storeName,
          w,
          initializer,
          aggregator,
          flags,
        ) as AnyProcessor<VA>,
    };
    return windowedTable(
      this.grouped as KGroupedStream<K, unknown>,
      parts,
      w.gracePeriodMs(),
      keySerde ? WindowedSerdes.timeWindowedSerdeFrom(keySerde, d) : undefined,
    );
  }
}

/** Kafka Streams' SessionWindowedKStream; aggregate also takes the merger of two sessions' aggregates. */
export class SessionWindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStream<K, V>,
    private readonly windows: SessionWindows,
  ) {}

  count(materialized: Materialized<K, number> = {}): KTable<Windowed<K>, number> {
    return this.aggregate(
      () => 0,
      (_k, _v, n: number) => n + 1,
      (_k, a, b) => a + b,
      { valueSerde: Serdes.long(), ...materialized },
    );
  }

  reduce(
    reducer: (aggregate: V, value: V) => V,
    materialized: Materialized<K, V> = {},
  ): KTable<Windowed<K>, V> {
    const m: Materialized<K, V> = { ...materialized };
    const valueSerde = m.valueSerde ?? this.grouped.valueSerde;
    if (valueSerde) m.valueSerde = valueSerde;
    // Kafka Streams: a null start, the first value as the first aggregate, merged by the reducer
    const combine = reduceCombine<K, V>(reducer);
    const merge = (_k: K, a: V, b: V): V => (a === null ? b : b === null ? a : reducer(a, b));
    return this.build(
      'KSTREAM-REDUCE-',
      m,
      () => null as unknown as V,
      (k, v, agg) => combine(k, v, agg),
      merge,
    );
  }

  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    merger: (key: K, aggregate1: VA, aggregate2: VA) => VA,
    materialized: Materialized<K, VA> = {},
  ): KTable<Windowed<K>, VA> {
    return this.build('KSTREAM-AGGREGATE-', materialized, initializer, aggregator, merger);
  }

  private build<VA>(
    prefix: AggregationParts<K, VA>['prefix'],
    materialized: Materialized<K, VA>,
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    merger: (key: K, aggregate1: VA, aggregate2: VA) => VA,
  ): KTable<Windowed<K>, VA> {
    const w = this.windows;
    const minimum = w.inactivityGap() + w.gracePeriodMs();
    const retentionMs = materialized.retentionMs ?? minimum;
    checkRetention('SessionWindows', retentionMs, minimum);
    const keySerde = materialized.keySerde ?? this.grouped.keySerde;
    const parts: AggregationParts<K, VA> = {
      prefix,
      materialized,
      store: (name) =>
        new SessionStoreBuilder<K, VA>({
          name,
          retentionMs,
          ...(keySerde ? { keySerde } : {}),
          ...(materialized.valueSerde ? { valueSerde: materialized.valueSerde } : {}),
          logging: logging(materialized),
        }),
      processor: (storeName, flags) =>
        sessionWindowAggregateProcessor<K, V, VA>(
          storeName,
          w,
          initializer,
          aggregator,
          merger,
          flags,
        ) as AnyProcessor<VA>,
    };
    // suppress waits past the session end for gap + grace (Kafka Streams' GraphGraceSearchUtil)
    return windowedTable(
      this.grouped as KGroupedStream<K, unknown>,
      parts,
      w.inactivityGap() + w.gracePeriodMs(),
      keySerde ? WindowedSerdes.sessionWindowedSerdeFrom(keySerde) : undefined,
    );
  }
}
