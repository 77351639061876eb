import { inputs, statelessOp } from './generator-inputs';
import type { Random } from './random';
import type { AggregateSpec, Op, Scenario, TableOp, TableSpec, WindowSpec } from './scenario';

function tableOps(rnd: Random): TableOp[] {
  return Array.from({ length: rnd.pick([0, 0, 1, 1, 2]) }, (): TableOp => {
    if (rnd.chance(0.5)) return { op: 'mapValues', tag: `.${rnd.int(0, 9)}` };
    const mod = rnd.int(2, 4);
    return { op: 'filter', mod, rem: rnd.int(0, mod - 1), ...(rnd.chance(0.5) ? { not: true } : {}) };
  });
}

const GRACES = [0, 0, 10, 50, 100, 300];

function windows(rnd: Random): WindowSpec {
  const graceMs = rnd.pick(GRACES);
  switch (rnd.pick(['tumbling', 'hopping', 'sliding', 'session'] as const)) {
    case 'tumbling':
      return { type: 'tumbling', sizeMs: rnd.pick([1, 10, 50, 100, 200]), graceMs };
    case 'hopping': {
      const sizeMs = rnd.pick([20, 50, 100, 200]);
      // at most 10 windows per record: enough to cover overlaps without flooding a step
      const advanceMs = Math.floor(
        rnd.pick([sizeMs, sizeMs / 2, sizeMs / 4, sizeMs / 10, rnd.int(sizeMs / 10, sizeMs)]),
      );
      return { type: 'hopping', sizeMs, advanceMs, graceMs };
    }
    case 'sliding':
      return { type: 'sliding', differenceMs: rnd.pick([10, 10, 50, 100, 200]), graceMs };
    default:
      return { type: 'session', gapMs: rnd.pick([1, 10, 50, 100, 200]), graceMs };
  }
}

/** How far back a record can still land in a window: what makes "late" and "past grace" inputs. */
function reach(w: WindowSpec | undefined): number {
  if (!w) return 50;
  switch (w.type) {
    case 'tumbling':
    case 'hopping':
      return w.sizeMs + w.graceMs;
    case 'sliding':
      return w.differenceMs + w.graceMs;
    case 'session':
      return w.gapMs + w.graceMs;
  }
}

/** Stateless operations before a grouping: key changes are allowed, grouping repartitions after them. */
function groupingOps(rnd: Random): Op[] {
  if (!rnd.chance(0.35)) return [];
  return Array.from({ length: rnd.int(1, 2) }, () =>
    statelessOp(rnd, ['mapValues', 'filter', 'flatMapValues', 'selectKey', 'map', 'flatMap', 'repartition']),
  );
}

const afterOps = (rnd: Random): Op[] =>
  rnd.chance(0.15) ? [statelessOp(rnd, ['mapValues', 'filter', 'flatMapValues', 'map'])] : [];

/** groupByKey / groupBy, count / reduce / aggregate, half of them windowed, some windowed ones suppressed. */
export function aggregateScenario(rnd: Random, id: string): Scenario {
  const left = groupingOps(rnd);
  const group: AggregateSpec['group'] = rnd.chance(0.3) ? { by: 'value', mod: rnd.int(1, 3) } : { by: 'key' };
  const fn = rnd.pick(['count', 'reduce', 'aggregate'] as const);
  const w = rnd.chance(0.6) ? windows(rnd) : undefined;
  const aggregate: AggregateSpec = {
    group,
    fn,
    ...(w ? { windows: w } : {}),
    ...(w && rnd.chance(0.35) ? { suppress: true } : {}),
    tableOps: tableOps(rnd),
  };
  const after = afterOps(rnd);
  const steps = inputs(rnd, reach(w), ['left']);
  return { id, topology: { left, aggregate, ...(after.length ? { after } : {}) }, steps };
}

/** A table of `left` alone, a stream-table join (stream of `right`) or a table-table join. */
export function tableScenario(rnd: Random, id: string): Scenario {
  const r = rnd.next();
  const join: TableSpec['join'] | undefined =
    r < 0.25
      ? undefined
      : r < 0.55
        ? { kind: 'stream', type: rnd.pick(['inner', 'left'] as const) }
        : { kind: 'table', type: rnd.pick(['inner', 'left', 'outer'] as const), rightOps: tableOps(rnd) };
  const table: TableSpec = {
    source: rnd.chance(0.7) ? 'table' : 'toTable',
    ops: tableOps(rnd),
    ...(join ? { join } : {}),
  };
  // half of the tables without a join are regrouped (KGroupedTable); mod 1 keeps every row in one group
  const grouped: TableSpec =
    !join && rnd.chance(0.5)
      ? {
          ...table,
          groupBy: {
            mod: rnd.int(1, 3),
            fn: rnd.pick(['count', 'reduce', 'aggregate'] as const),
            ops: tableOps(rnd),
          },
        }
      : table;
  // the stream side of a stream-table join keeps its key (streamtune asks for an explicit repartition otherwise)
  const right =
    join?.kind === 'stream' && rnd.chance(0.3)
      ? [statelessOp(rnd, ['mapValues', 'filter', 'flatMapValues'])]
      : [];
  const after = afterOps(rnd);
  const steps = inputs(rnd, 50, join ? ['left', 'right'] : ['left']);
  return {
    id,
    topology: {
      left: [],
      ...(right.length ? { right } : {}),
      table: grouped,
      ...(after.length ? { after } : {}),
    },
    steps,
  };
}
