import { inputs, statelessOp } from './generator-inputs';
import { aggregateScenario, tableScenario } from './generator-tables';
import { Random } from './random';
import type { JoinSpec, Op, Scenario } from './scenario';

const KEY_CHANGING = new Set<Op['op']>(['map', 'selectKey', 'flatMap']);

/**
 * Seeded scenarios: 4 in 10 are windowed joins (inner/left/outer, symmetric, asymmetric and
 * negative-sided windows, grace 0 to 300 ms, optional stateless operations and repartitions
 * on either side and after), 1 in 10 stateless pipelines (map, mapValues, filter,
 * filterNot, flatMap, flatMapValues, selectKey, split, merge, repartition), 3 in 10
 * aggregations (generator-tables.ts: grouped by key or value, plain or in tumbling, hopping,
 * sliding and session windows, some suppressed), 2 in 10 tables (a table alone, stream-table
 * and table-table joins). Inputs have
 * disorder, records late within and past grace, exact duplicates, null keys and values,
 * equal timestamps, a few keys, and wall-clock advances between records.
 */
export function generateScenarios(seed: number, count: number): Scenario[] {
  const out: Scenario[] = [];
  for (let i = 0; i < count; i++) out.push(generateScenario(seed, i));
  return out;
}

export function generateScenario(seed: number, index: number): Scenario {
  // one stream per scenario, so scenario i of a seed never depends on the count
  const rnd = new Random((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0);
  const id = `s${seed}-${index}`;
  const kind = rnd.next();
  const scenario =
    kind < 0.4
      ? joinScenario(rnd, id)
      : kind < 0.5
        ? statelessScenario(rnd, id)
        : kind < 0.8
          ? aggregateScenario(rnd, id)
          : tableScenario(rnd, id);
  // a wall clock of today, not of 1970: the first scan is still allowed at once
  return rnd.chance(0.2)
    ? { ...scenario, initialWallClockMs: 1_764_000_000_000 + rnd.int(0, 999) }
    : scenario;
}

function joinSpec(rnd: Random): JoinSpec {
  const type = rnd.pick(['inner', 'left', 'outer'] as const);
  const sizes = [0, 1, 5, 10, 20, 50, 100, 200];
  let beforeMs = rnd.pick(sizes);
  let afterMs = rnd.chance(0.5) ? beforeMs : rnd.pick(sizes);
  if (rnd.chance(0.1)) {
    // one side negative: a window that lies wholly after (or before) the record
    const shift = rnd.int(1, 30);
    if (rnd.chance(0.5)) {
      beforeMs = -shift;
      afterMs = shift + rnd.pick(sizes);
    } else {
      afterMs = -shift;
      beforeMs = shift + rnd.pick(sizes);
    }
  }
  const graceMs = rnd.pick([0, 0, 5, 10, 50, 100, 300]);
  // absent: the drivers' default (0, no throttling); else Kafka's 1000 mostly
  const interval = rnd.next();
  const emit =
    interval < 0.3
      ? {}
      : { emitIntervalMs: interval < 0.4 ? 0 : rnd.pick([100, 500, 1000, 1000, 1000, 2000]) };
  return { type, beforeMs, afterMs, graceMs, ...emit };
}

/** Operations before a join: a key change is always followed by a repartition (as streamtune requires). */
function sideOps(rnd: Random): Op[] {
  if (!rnd.chance(0.3)) return [];
  const ops: Op[] = [];
  const n = rnd.int(1, 3);
  let keyChanged = false;
  for (let i = 0; i < n; i++) {
    const op = statelessOp(rnd, [
      'mapValues',
      'filter',
      'flatMapValues',
      'split',
      'selectKey',
      'map',
      'flatMap',
      'repartition',
    ]);
    ops.push(op);
    if (KEY_CHANGING.has(op.op)) keyChanged = true;
    if (op.op === 'repartition') keyChanged = false;
  }
  if (keyChanged) ops.push({ op: 'repartition' });
  return ops;
}

function joinScenario(rnd: Random, id: string): Scenario {
  const join = joinSpec(rnd);
  const left = sideOps(rnd);
  const right = sideOps(rnd);
  const after = rnd.chance(0.15) ? [statelessOp(rnd, ['mapValues', 'filter', 'flatMapValues', 'map'])] : [];
  const span = Math.max(join.beforeMs, join.afterMs, 0) + join.graceMs;
  const steps = inputs(rnd, span, ['left', 'right']);
  return { id, topology: { left, right, join, ...(after.length ? { after } : {}) }, steps };
}

function statelessScenario(rnd: Random, id: string): Scenario {
  const ops: Op[] = [];
  const n = rnd.int(1, 4);
  let merged = false;
  for (let i = 0; i < n; i++) {
    if (!merged && rnd.chance(0.25)) {
      merged = true;
      ops.push({
        op: 'merge',
        ops: rnd.chance(0.5) ? [statelessOp(rnd, ['mapValues', 'map', 'filter'])] : [],
      });
      continue;
    }
    ops.push(
      statelessOp(rnd, [
        'mapValues',
        'map',
        'selectKey',
        'filter',
        'flatMap',
        'flatMapValues',
        'split',
        'repartition',
      ]),
    );
  }
  const steps = inputs(rnd, 50, merged ? ['left', 'right'] : ['left']);
  return { id, topology: { left: ops }, steps };
}
