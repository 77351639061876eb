/**
 * The scenario format both runners read (the Java runner in java/ and ts-runner.ts). A
 * scenario is a topology, a list of steps (an input record or a wall-clock advance) and
 * an optional start of the wall clock. Keys and values are strings or null; every
 * operation is one of a small vocabulary whose functions both runners implement alike.
 */
export interface Scenario {
  readonly id: string;
  readonly topology: ScenarioTopology;
  readonly steps: readonly Step[];
  /** Start of both drivers' wall clock (epoch ms, default 0). */
  readonly initialWallClockMs?: number;
}

export interface ScenarioTopology {
  /** Operations on the stream of topic `left` (before the join, if any). */
  readonly left: readonly Op[];
  /** Operations on the stream of topic `right` before the join (join topologies only). */
  readonly right?: readonly Op[];
  /** A windowed stream-stream join of left with right; without it the topology is stateless. */
  readonly join?: JoinSpec;
  /** Operations after the join (or after the aggregation's or the tables' toStream). */
  readonly after?: readonly Op[];
  /** An aggregation of the stream of `left` (after its operations); without join and table. */
  readonly aggregate?: AggregateSpec;
  /** A table pipeline on the topics `left` and `right`; without join and aggregate. */
  readonly table?: TableSpec;
}

/**
 * `left` ops, then groupByKey (which repartitions after a key change, as in Kafka Streams)
 * or groupBy(key = "g" + bucket(value, mod)), an aggregation, optionally windowed and
 * suppressed, table operations on the result, and toStream. Values on the output are
 * strings (a count as its decimal); a windowed key is written as "key@start/end".
 */
export interface AggregateSpec {
  readonly group: { readonly by: 'key' } | { readonly by: 'value'; readonly mod: number };
  /** count; reduce: aggregate + "|" + value; aggregate: "" then aggregate + "," + value (sessions merge a + "&" + b). */
  readonly fn: 'count' | 'reduce' | 'aggregate';
  readonly windows?: WindowSpec;
  /** suppress(Suppressed.untilWindowCloses(unbounded())), windowed only. */
  readonly suppress?: boolean;
  readonly tableOps: readonly TableOp[];
}

export type WindowSpec =
  | { readonly type: 'tumbling'; readonly sizeMs: number; readonly graceMs: number }
  | {
      readonly type: 'hopping';
      readonly sizeMs: number;
      readonly advanceMs: number;
      readonly graceMs: number;
    }
  | { readonly type: 'sliding'; readonly differenceMs: number; readonly graceMs: number }
  | { readonly type: 'session'; readonly gapMs: number; readonly graceMs: number };

/** KTable operations; values are compared as strings (String.valueOf), null stays null. */
export type TableOp =
  | { readonly op: 'mapValues'; readonly tag: string }
  /** keeps bucket(value, mod) != rem; with not, filterNot(bucket == rem) */
  | { readonly op: 'filter'; readonly mod: number; readonly rem: number; readonly not?: boolean };

/**
 * KTable#groupBy(key = "g" + bucket(value, mod), value) then count; reduce: adder a + "+" + v,
 * subtractor a + "-" + v; aggregate: the same from "". Then `ops` on the result.
 */
export interface TableGroupBySpec {
  readonly mod: number;
  readonly fn: 'count' | 'reduce' | 'aggregate';
  readonly ops: readonly TableOp[];
}

/**
 * The table of topic `left` (builder.table, or stream.toTable) through `ops`, then:
 * - no join: toStream, or groupBy (KGroupedTable) and its aggregation, then toStream;
 * - stream-table: the stream of `right` (through topology.right, key kept) join/leftJoin
 *   the table, joiner streamValue + "+" + tableValue;
 * - table-table: join/leftJoin/outerJoin with the table of `right` through `rightOps`,
 *   joiner l + "+" + r, then toStream.
 */
export interface TableSpec {
  readonly source: 'table' | 'toTable';
  readonly ops: readonly TableOp[];
  /** Only without join. */
  readonly groupBy?: TableGroupBySpec;
  readonly join?:
    | { readonly kind: 'stream'; readonly type: 'inner' | 'left' }
    | {
        readonly kind: 'table';
        readonly type: 'inner' | 'left' | 'outer';
        readonly rightOps: readonly TableOp[];
      };
}

export interface JoinSpec {
  readonly type: 'inner' | 'left' | 'outer';
  /** JoinWindows before/after (either may be negative, before + after >= 0) and grace. */
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly graceMs: number;
  /** `__emit.interval.ms.kstreams.outer.join.spurious.results.fix__`; Kafka's default 1000 when absent. */
  readonly emitIntervalMs?: number;
}

/**
 * value functions: `v + tag` (null stays null); bucket(s, m) = floorMod(javaHashCode(s), m),
 * bucket(null) = 0.
 */
export type Op =
  | { readonly op: 'mapValues'; readonly tag: string }
  /** key + tag, value + tag */
  | { readonly op: 'map'; readonly tag: string }
  /** key = "k" + bucket(value, mod), null for a null value */
  | { readonly op: 'selectKey'; readonly mod: number }
  /** keeps bucket(value, mod) != rem; with not, filterNot(bucket == rem) (the same records) */
  | { readonly op: 'filter'; readonly mod: number; readonly rem: number; readonly not?: boolean }
  /** count records (key, value + "#" + i) */
  | { readonly op: 'flatMap'; readonly count: number }
  /** count values value + "~" + i */
  | { readonly op: 'flatMapValues'; readonly count: number }
  | { readonly op: 'repartition' }
  /** merges the stream of topic `right`, after `ops` (stateless topologies, once) */
  | { readonly op: 'merge'; readonly ops: readonly Op[] }
  /** branch i (from 1) takes bucket(value, mod) == rem and tags "/b<i>"; the default branch "/b0"; all merged */
  | {
      readonly op: 'split';
      readonly branches: ReadonlyArray<{ readonly mod: number; readonly rem: number }>;
    };

export type Step =
  | {
      readonly input: 'left' | 'right';
      readonly key: string | null;
      readonly value: string | null;
      readonly timestamp: number;
    }
  | { readonly advanceWallClockMs: number };

/** What the output topic `out` received after one step, in order: [key, value, timestamp]. */
export type OutRecord = readonly [string | null, string | null, number];

export interface ScenarioResult {
  readonly id: string;
  /** One entry per step. */
  readonly steps: ReadonlyArray<readonly OutRecord[]>;
  /** Set when the runner failed on this scenario (topology rejected, exception). */
  readonly error?: string;
}

/** Java's String.hashCode over UTF-16 code units, in 32-bit arithmetic. */
export function javaHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

export function bucket(value: string | null, mod: number): number {
  const h = value === null ? 0 : javaHashCode(value);
  return ((h % mod) + mod) % mod;
}

/** How a table value is compared and tagged: Java's String.valueOf, null stays null. */
export function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

export function isWallClock(step: Step): step is { readonly advanceWallClockMs: number } {
  return 'advanceWallClockMs' in step;
}
