import type { Random } from './random';
import type { Op, Step } from './scenario';

export function statelessOp(rnd: Random, allowed: ReadonlyArray<Op['op']>): Op {
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

/** Input records around a moving stream time, `span` = the join's reach (window + grace). */
export function inputs(rnd: Random, span: number, sides: ReadonlyArray<'left' | 'right'>): Step[] {
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
