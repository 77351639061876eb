import {
  SessionWindows,
  SlidingWindows,
  Suppressed,
  TimeWindows,
  type KGroupedStream,
  type KStream,
  type KTable,
  type StreamsBuilder,
  type Windowed,
} from '@streamtune/streams';
import {
  bucket,
  text,
  type AggregateSpec,
  type Op,
  type TableGroupBySpec,
  type TableOp,
  type TableSpec,
} from './scenario';

type S = KStream<string | null, string | null>;
type T<K = string | null> = KTable<K, unknown>;
type ApplyOps = (builder: StreamsBuilder, start: S, ops: readonly Op[]) => S;

// both runners see every table value as String.valueOf(value), so one vocabulary serves counts and strings
function tableOps<K>(table: T<K>, ops: readonly TableOp[]): T<K> {
  let t = table;
  for (const op of ops) {
    if (op.op === 'mapValues') {
      const tag = op.tag;
      t = t.mapValues((v) => (text(v) === null ? null : text(v) + tag)) as T<K>;
    } else {
      const { mod, rem } = op;
      t = op.not
        ? t.filterNot((_k, v) => bucket(text(v), mod) === rem)
        : t.filter((_k, v) => bucket(text(v), mod) !== rem);
    }
  }
  return t;
}

const windowedKey = (k: Windowed<string | null>) => `${k.key}@${k.window.start}/${k.window.end}`;

function aggregated(grouped: KGroupedStream<string | null, string | null>, spec: AggregateSpec): T<unknown> {
  const reducer = (a: string | null, v: string | null) => `${a}|${v}`;
  const init = () => '';
  const adder = (_k: string | null, v: string | null, a: string) => `${a},${v}`;
  const w = spec.windows;
  // the same three calls on a grouped or time-windowed stream; results differ only in their value type
  interface Aggregatable {
    count(): unknown;
    reduce(r: typeof reducer): unknown;
    aggregate(i: typeof init, a: typeof adder): unknown;
  }
  const pick = (g: Aggregatable): T<unknown> =>
    (spec.fn === 'count'
      ? g.count()
      : spec.fn === 'reduce'
        ? g.reduce(reducer)
        : g.aggregate(init, adder)) as T<unknown>;
  if (!w) return pick(grouped);
  switch (w.type) {
    case 'tumbling':
      return pick(grouped.windowedBy(TimeWindows.ofSizeAndGrace(w.sizeMs, w.graceMs)));
    case 'hopping':
      return pick(grouped.windowedBy(TimeWindows.ofSizeAndGrace(w.sizeMs, w.graceMs).advanceBy(w.advanceMs)));
    case 'sliding':
      return pick(grouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(w.differenceMs, w.graceMs)));
    case 'session': {
      const s = grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(w.gapMs, w.graceMs));
      const merger = (_k: string | null, a: string, b: string) => `${a}&${b}`;
      const table =
        spec.fn === 'count'
          ? s.count()
          : spec.fn === 'reduce'
            ? s.reduce(reducer)
            : s.aggregate(init, adder, merger);
      return table as T<unknown>;
    }
  }
}

/** The aggregation of a scenario: grouped stream, aggregation, suppress, table ops, toStream with string keys and values. */
export function buildAggregate(start: S, spec: AggregateSpec): S {
  const group = spec.group;
  const grouped =
    group.by === 'key'
      ? start.groupByKey()
      : start.groupBy<string | null>((_k, v) => `g${bucket(v, group.mod)}`);
  let table = aggregated(grouped, spec);
  if (spec.suppress) table = table.suppress(Suppressed.untilWindowCloses());
  const stream = tableOps(table, spec.tableOps).toStream();
  const keyed = spec.windows
    ? stream.selectKey<string | null>((k) => windowedKey(k as Windowed<string | null>))
    : (stream as KStream<string | null, unknown>);
  return keyed.mapValues((v) => text(v));
}

/** KTable#groupBy and its aggregation with a subtractor (KGroupedTable). */
function regrouped(table: T, spec: TableGroupBySpec): S {
  const grouped = table.groupBy<string | null, string | null>((_k, v) => ({
    key: `g${bucket(text(v), spec.mod)}`,
    value: text(v),
  }));
  const add = (a: string | null, v: string | null) => `${a}+${v}`;
  const subtract = (a: string | null, v: string | null) => `${a}-${v}`;
  const aggregated = (
    spec.fn === 'count'
      ? grouped.count()
      : spec.fn === 'reduce'
        ? grouped.reduce(add, subtract)
        : grouped.aggregate(
            () => '',
            (_k, v, a) => add(a, v),
            (_k, v, a) => subtract(a, v),
          )
  ) as T;
  return tableOps(aggregated, spec.ops)
    .toStream()
    .mapValues((v) => text(v));
}

/** The table pipeline of a scenario, as a stream of string keys and values. */
export function buildTables(
  builder: StreamsBuilder,
  spec: TableSpec,
  rightOps: readonly Op[],
  applyOps: ApplyOps,
): S {
  const source = (topic: string): T =>
    (spec.source === 'table'
      ? builder.table<string | null, string | null>(topic)
      : builder.stream<string | null, string | null>(topic).toTable()) as T;
  const left = tableOps(source('left'), spec.ops);
  const joiner = (l: unknown, r: unknown): string | null => `${text(l)}+${text(r)}`;
  const j = spec.join;
  if (!j && spec.groupBy) return regrouped(left, spec.groupBy);
  if (!j) return left.toStream().mapValues((v) => text(v));
  if (j.kind === 'stream') {
    const stream = applyOps(builder, builder.stream<string | null, string | null>('right'), rightOps);
    return j.type === 'inner' ? stream.join(left, joiner) : stream.leftJoin(left, joiner);
  }
  const right = tableOps(source('right'), j.rightOps);
  const joined =
    j.type === 'inner'
      ? left.join(right, joiner)
      : j.type === 'left'
        ? left.leftJoin(right, joiner)
        : left.outerJoin(right, joiner);
  return joined.toStream();
}
