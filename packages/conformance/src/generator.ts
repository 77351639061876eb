import { Random } from './random';
import type { JoinSpec, Op, Scenario, Step } from './scenario';

const KEY_CHANGING = new Set<Op['op']>(['map', 'selectKey', 'flatMap']);

/**
 * Seeded scenarios: 4 in 5 are windowed joins (inner/left/outer, symmetric, asymmetric and
 * negative-sided windows, grace 0 to 300 ms, optional stateless operations and repartitions
 * on either side and after), 1 in 5 stateless pipelines (map, mapValues, filter,
 * filterNot, flatMap, flatMapValues, selectKey, split, merge, repartition). Inputs have
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
  const scenario = rnd.chance(0.8) ? joinScenario(rnd, id) : statelessScenario(rnd, id);
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

function statelessOp(rnd: Random, allowed: ReadonlyArray<Op['op']>): Op {
  const tag = `.${rnd.int(0, 9)}`;
  switch (rnd.pick(allowed)) {
    case 'mapValues':
      return { op: 'mapValues', tag };
    case 'map':
      return { op: 'map', tag };
    case 'selectKey':
      return { op: 'selectKey', mod: rnd.int(1, 4) };
    case 'filter': {
      const mod = rnd.int(2, 4);
      return { op: 'filter', mod, rem: rnd.int(0, mod - 1), ...(rnd.chance(0.5) ? { not: true } : {}) };
    }
    case 'flatMap':
      return { op: 'flatMap', count: rnd.int(0, 3) };
    case 'flatMapValues':
      return { op: 'flatMapValues', count: rnd.int(0, 3) };
    case 'split': {
      const n = rnd.int(1, 3);
      return {
        op: 'split',
        branches: Array.from({ length: n }, () => {
          const mod = rnd.int(2, 4);
          return { mod, rem: rnd.int(0, mod - 1) };
        }),
      };
    }
    default:
      return { op: 'repartition' };
  }
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

/** Input records around a moving stream time, `span` = the join's reach (window + grace). */
function inputs(rnd: Random, span: number, sides: ReadonlyArray<'left' | 'right'>): Step[] {
  const keys = ['a', 'b', 'c', 'd'].slice(0, rnd.int(1, 4));
  const count = rnd.int(4, 28);
  const steps: Step[] = [];
  const records: Step[] = [];
  let streamTime = rnd.int(0, 3) * 1000;
  let last = streamTime;
  let seq = 0;
  const disorder = rnd.pick([0, 10, 50, 200]);
  for (let i = 0; i < count; i++) {
    if (rnd.chance(0.12)) {
      steps.push({ advanceWallClockMs: rnd.pick([1, 100, 500, 999, 1000, 1000, 2000]) });
      continue;
    }
    if (records.length > 0 && rnd.chance(0.06)) {
      const dup = rnd.pick(records);
      steps.push(dup);
      continue;
    }
    const r = rnd.next();
    let timestamp: number;
    if (r < 0.15)
      timestamp = last; // equal timestamps
    else if (r < 0.25)
      timestamp = Math.max(0, streamTime - rnd.int(0, span)); // late, within reach
    else if (r < 0.32)
      timestamp = Math.max(0, streamTime - span - rnd.int(1, 100)); // past grace
    else if (r < 0.45)
      timestamp = Math.max(0, streamTime - rnd.int(0, disorder)); // disorder
    else timestamp = streamTime + rnd.pick([0, 1, 2, 5, 10, 30, 60, 100, 150, 300, 600]);
    streamTime = Math.max(streamTime, timestamp);
    last = timestamp;
    const input = rnd.pick(sides);
    const key = rnd.chance(0.06) ? null : rnd.pick(keys);
    const value = rnd.chance(0.06) ? null : `${input[0]}${seq++}`;
    const step: Step = { input, key, value, timestamp };
    steps.push(step);
    records.push(step);
  }
  return steps;
}
