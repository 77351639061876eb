import { describe, expect, it } from 'vitest';
import { compare } from '../src/compare';
import { generateScenarios } from '../src/generator';
import { bucket, javaHashCode, type Scenario } from '../src/scenario';
import { shrinkCandidates } from '../src/shrink';

describe('conformance scenarios', () => {
  it("javaHashCode is Java's String.hashCode", () => {
    expect(javaHashCode('')).toBe(0);
    expect(javaHashCode('hello')).toBe(99162322);
    // values printed by Java 17
    expect(javaHashCode('l1234567890')).toBe(1443586055);
    expect(javaHashCode('polygenelubricants')).toBe(-2147483648);
    expect(javaHashCode('r12#0~1/b2.8')).toBe(-1031812810);
    expect(bucket('hello', 3)).toBe(99162322 % 3);
    expect(bucket(null, 3)).toBe(0);
    expect(bucket('r12#0~1/b2.8', 4)).toBe(2); // floorMod of a negative hash
  });

  it('a seed gives the same scenarios, and scenario i does not depend on the count', () => {
    expect(generateScenarios(7, 20)).toEqual(generateScenarios(7, 20));
    expect(generateScenarios(7, 5)).toEqual(generateScenarios(7, 20).slice(0, 5));
    expect(generateScenarios(8, 5)).not.toEqual(generateScenarios(7, 5));
  });

  it('covers joins of every type, stateless pipelines, wall-clock advances and nulls', () => {
    const all = generateScenarios(1, 300);
    const types = new Set(all.map((s) => s.topology.join?.type ?? 'stateless'));
    expect([...types].sort()).toEqual(['inner', 'left', 'outer', 'stateless']);
    const steps = all.flatMap((s) => s.steps);
    expect(steps.some((s) => 'advanceWallClockMs' in s)).toBe(true);
    expect(steps.some((s) => 'key' in s && s.key === null)).toBe(true);
    expect(steps.some((s) => 'value' in s && s.value === null)).toBe(true);
    const ops = new Set(
      all.flatMap((s) => [...s.topology.left, ...(s.topology.right ?? [])].map((o) => o.op)),
    );
    for (const op of [
      'map',
      'mapValues',
      'filter',
      'flatMap',
      'flatMapValues',
      'selectKey',
      'split',
      'merge',
      'repartition',
    ])
      expect(ops).toContain(op);
  });

  it('covers every aggregation, window type, suppress, table source, join and table regrouping', () => {
    const all = generateScenarios(1, 400);
    const aggregates = all.flatMap((s) => (s.topology.aggregate ? [s.topology.aggregate] : []));
    expect(new Set(aggregates.map((a) => a.fn))).toEqual(new Set(['count', 'reduce', 'aggregate']));
    expect(new Set(aggregates.map((a) => a.group.by))).toEqual(new Set(['key', 'value']));
    expect(new Set(aggregates.map((a) => a.windows?.type ?? 'none'))).toEqual(
      new Set(['none', 'tumbling', 'hopping', 'sliding', 'session']),
    );
    expect(aggregates.some((a) => a.suppress && a.windows)).toBe(true);
    expect(aggregates.every((a) => !a.suppress || a.windows)).toBe(true);
    const tables = all.flatMap((s) => (s.topology.table ? [s.topology.table] : []));
    expect(new Set(tables.map((t) => t.source))).toEqual(new Set(['table', 'toTable']));
    const joins = new Set(tables.map((t) => (t.join ? `${t.join.kind}-${t.join.type}` : 'none')));
    expect([...joins].sort()).toEqual([
      'none',
      'stream-inner',
      'stream-left',
      'table-inner',
      'table-left',
      'table-outer',
    ]);
    const regrouped = tables.flatMap((t) => (t.groupBy ? [t.groupBy] : []));
    expect(new Set(regrouped.map((g) => g.fn))).toEqual(new Set(['count', 'reduce', 'aggregate']));
    expect(new Set(regrouped.map((g) => g.mod))).toEqual(new Set([1, 2, 3]));
    expect(tables.every((t) => !t.groupBy || !t.join)).toBe(true);
    const tableOps = [...aggregates.flatMap((a) => a.tableOps), ...tables.flatMap((t) => t.ops)];
    expect(new Set(tableOps.map((o) => o.op))).toEqual(new Set(['mapValues', 'filter']));
    expect(tableOps.some((o) => o.op === 'filter' && o.not)).toBe(true);
    // Kafka Streams accepts a sliding time difference of 0 and fails each record; streamtune rejects it when built
    expect(aggregates.some((a) => a.windows?.type === 'sliding' && a.windows.differenceMs === 0)).toBe(false);
  });

  it('compares per step, and tells a moved record from a different one', () => {
    const s: Scenario = {
      id: 'x',
      topology: { left: [] },
      steps: [
        { input: 'left', key: 'a', value: 'v', timestamp: 1 },
        { input: 'left', key: 'a', value: 'w', timestamp: 2 },
      ],
    };
    const ks = { id: 'x', steps: [[['a', 'v', 1]], [['a', 'w', 2]]] } as const;
    const late = {
      id: 'x',
      steps: [
        [],
        [
          ['a', 'v', 1],
          ['a', 'w', 2],
        ],
      ],
    } as const;
    const ok = compare([s], [ks], [ks]);
    expect([ok.identicalPerStep, ok.identicalFinal, ok.differences.length]).toEqual([1, 1, 0]);
    const moved = compare([s], [ks], [late]);
    expect([moved.identicalPerStep, moved.identicalFinal]).toEqual([0, 1]);
    expect(moved.differences[0]).toMatchObject({ step: 0, finalIdentical: true });
    expect(
      shrinkCandidates(s).every((c) => c.steps.length < s.steps.length || c.topology !== s.topology),
    ).toBe(true);
  });
});
