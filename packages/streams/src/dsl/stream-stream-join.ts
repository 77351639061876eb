import { joinSideProcessor, type ValueJoiner } from '../processor/join/join-side-processor';
import { leftOrRightListSerde, outerJoinKeySerde } from '../processor/join/outer-join-store';
import { JoinTimeTrackers } from '../processor/join/time-tracker';
import { joinWindowedProcessor } from '../processor/join/windowed-store-processor';
import { passThroughProcessor } from '../processor/stateless';
import type { Serde } from '../serdes/serde';
import { Stores } from '../state/stores';
import type { JoinWindows } from './join-windows';
import type { KStream } from './kstream';

/** Kafka Streams' StreamJoined: serdes, names and changelog settings of a stream-stream join. */
export interface StreamJoined<K, V1, V2> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V1>;
  otherValueSerde?: Serde<V2>;
  /** Processor names: `<name>-this-join`, `<name>-other-join`, `<name>-merge`, ... */
  name?: string;
  /** Store names: `<storeName>-this-join-store`, `<storeName>-other-join-store`, `<storeName>-outer-shared-join-store`, ... */
  storeName?: string;
  /** Default true: the join stores write changelog topics. */
  loggingEnabled?: boolean;
  /** Extra changelog topic configs (cleanup.policy of join stores stays delete). */
  logConfig?: Record<string, string>;
  /**
   * Least wall-clock time between two scans of the outer store for closed windows, for
   * this join only; by default the app config's `outerJoinEmitIntervalMs` (Kafka Streams'
   * internal `__emit.interval.ms.kstreams.outer.join.spurious.results.fix__`, 1000; the
   * TopologyTestDriver's 0). Decides when unmatched results come out, not whether.
   */
  outerJoinEmitIntervalMs?: number;
}

export type JoinType = 'inner' | 'left' | 'outer';

/**
 * Wires a windowed stream-stream join into the builder's graph exactly as Kafka Streams
 * does: per side a windowed node that stores the side's records and a join node that
 * probes the other side's store, both feeding a merge node; left/outer joins add the
 * shared outer store. Names and store names are Kafka Streams' own.
 */
export function streamStreamJoin<K, V1, V2, VOut>(
  type: JoinType,
  left: KStream<K, V1>,
  right: KStream<K, V2>,
  joiner: ValueJoiner<V1, V2, VOut>,
  windows: JoinWindows,
  joined: StreamJoined<K, V1, V2> = {},
): KStream<K, VOut> {
  if (typeof joiner !== 'function')
    throw new TypeError(`${type} join: the joiner must be a function (left, right) => result`);
  if (!windows || typeof windows.retentionMs !== 'function') {
    throw new TypeError(
      `${type} join: pass JoinWindows, e.g. JoinWindows.ofTimeDifferenceAndGrace(diffMs, graceMs)`,
    );
  }
  if (left.builder !== right.builder)
    throw new Error(`${type} join: both streams must come from the same StreamsBuilder`);
  for (const [side, stream] of [
    ['left', left],
    ['right', right],
  ] as const) {
    if (stream.keyChanged) {
      throw new Error(
        `${type} join: the ${side} stream's key may have changed (map, flatMap or selectKey), so records with ` +
          `equal keys may sit in different partitions; call .repartition() on it before joining`,
      );
    }
  }
  const builder = left.builder;
  const leftOuter = type !== 'inner';
  const rightOuter = type === 'outer';
  const { name, storeName } = joined;
  const thisSuffix = rightOuter ? '-outer-this-join' : '-this-join';
  const otherSuffix = leftOuter ? '-outer-other-join' : '-other-join';

  const thisWindowedName = name ? `${name}-this-windowed` : builder.newProcessorName('KSTREAM-WINDOWED-');
  const otherWindowedName = name ? `${name}-other-windowed` : builder.newProcessorName('KSTREAM-WINDOWED-');
  const thisPrefix = rightOuter ? 'KSTREAM-OUTERTHIS-' : 'KSTREAM-JOINTHIS-';
  const thisGenerated = builder.newProcessorName(thisPrefix);
  const otherGenerated = builder.newProcessorName(leftOuter ? 'KSTREAM-OUTEROTHER-' : 'KSTREAM-JOINOTHER-');
  const joinThisName = name ? `${name}${thisSuffix}` : thisGenerated;
  const joinOtherName = name ? `${name}${otherSuffix}` : otherGenerated;
  const mergeName = name ? `${name}-merge` : builder.newProcessorName('KSTREAM-MERGE-');

  const thisStoreName = `${storeName ? storeName + thisSuffix : thisGenerated}-store`;
  const otherStoreName = `${storeName ? storeName + otherSuffix : otherGenerated}-store`;
  const outerStoreName = leftOuter
    ? `${
        storeName
          ? storeName + (rightOuter ? '-outer-shared-join' : '-left-shared-join')
          : 'KSTREAM-OUTERSHARED-' + thisGenerated.slice(thisPrefix.length)
      }-store`
    : null;

  const keySerde = joined.keySerde ?? left.keySerde ?? right.keySerde;
  const leftSerde = joined.valueSerde ?? left.valueSerde;
  const rightSerde = joined.otherValueSerde ?? right.valueSerde;
  const logging = { enabled: joined.loggingEnabled ?? true, config: joined.logConfig ?? {} };
  const windowStore = <V>(storeName: string, valueSerde: Serde<V> | undefined) =>
    Stores.windowStoreBuilder<K, V>({
      name: storeName,
      retentionMs: windows.retentionMs(),
      windowSizeMs: windows.size(),
      retainDuplicates: true,
      ...(keySerde ? { keySerde } : {}),
      ...(valueSerde ? { valueSerde } : {}),
      logging,
    });

  const trackers = new JoinTimeTrackers(joined.outerJoinEmitIntervalMs);
  const common = {
    outerStoreName,
    beforeMs: windows.beforeMs,
    afterMs: windows.afterMs,
    graceMs: windows.gracePeriodMs(),
    joiner,
    trackers,
  };

  builder.addProcessor(thisWindowedName, joinWindowedProcessor<K, V1>(thisStoreName), [left.nodeName]);
  builder.addProcessor(otherWindowedName, joinWindowedProcessor<K, V2>(otherStoreName), [right.nodeName]);
  builder.addProcessor(
    joinThisName,
    joinSideProcessor<K, V1, V2, VOut>({
      ...common,
      side: 'left',
      otherStoreName,
      outer: leftOuter,
      otherOuter: rightOuter,
    }),
    [thisWindowedName],
  );
  builder.addProcessor(
    joinOtherName,
    joinSideProcessor<K, V1, V2, VOut>({
      ...common,
      side: 'right',
      otherStoreName: thisStoreName,
      outer: rightOuter,
      otherOuter: leftOuter,
    }),
    [otherWindowedName],
  );
  builder.addProcessor(mergeName, passThroughProcessor<K, VOut>(), [joinThisName, joinOtherName]);
  if (leftOuter) {
    // a repartition upstream of either side keeps null keys for this join (KIP-962)
    builder.markNullKeyRelaxedJoin(thisWindowedName);
    builder.markNullKeyRelaxedJoin(otherWindowedName);
  }

  builder.addStore(windowStore(thisStoreName, leftSerde), [thisWindowedName, joinOtherName]);
  builder.addStore(windowStore(otherStoreName, rightSerde), [otherWindowedName, joinThisName]);
  if (outerStoreName) {
    builder.addStore(
      Stores.keyValueStoreBuilder({
        name: outerStoreName,
        keySerde: (defaults) => outerJoinKeySerde((keySerde ?? defaults.key) as Serde<K>),
        valueSerde: (defaults) =>
          leftOrRightListSerde(
            (leftSerde ?? defaults.value) as Serde<V1>,
            (rightSerde ?? defaults.value) as Serde<V2>,
          ),
        logging,
      }),
      [joinThisName, joinOtherName],
    );
  }
  return left.derive<K, VOut>(mergeName, keySerde, undefined, false);
}
