import { describe, expect, it } from 'vitest';
import {
  OUTPUT_TOPICS,
  expectedResults,
  parseManifestLines,
  type InputTopic,
  type Manifest,
  type ManifestLine,
} from '@streamtune/reference-model';
import { defaultPlanOptions, scaleTime } from '../src/options';
import { Planner } from '../src/plan';
import { drainSchedule, SendSchedule } from '../src/schedule';

/** A planned run's manifest, as the generator would write it. */
function plannedManifest(overrides: Parameters<typeof defaultPlanOptions>[0]): Manifest {
  const options = scaleTime(defaultPlanOptions({ durationMs: undefined, ...overrides }), 0.1);
  const lines: ManifestLine[] = [
    {
      kind: 'header',
      version: 1,
      seed: options.seed,
      topicPrefix: '',
      partitions: 3,
      startedAt: 1_000_000,
      windows: options.windows,
      options: {},
    },
  ];
  drainSchedule(new SendSchedule(new Planner(options, 1_000_000), (l) => lines.push(l)));
  return parseManifestLines(lines.map((l) => JSON.stringify(l)));
}

function ids(m: Manifest, required: boolean): Record<string, string[]> {
  const e = expectedResults(m);
  return Object.fromEntries(
    OUTPUT_TOPICS.map((t) => [
      t,
      e[t]
        .filter((r) => !required || r.required)
        .map((r) => r.id)
        .sort(),
    ]),
  );
}

describe('expected results of a planned run', () => {
  it('require exactly what both worlds (late records dropped, late records joined) agree on', () => {
    const m = plannedManifest({ orders: 300, lateShare: 0.1, drainMs: 20_000 });
    expect(m.orders.some((o) => o.late.length)).toBe(true);
    const withoutLate: Manifest = {
      ...m,
      orders: m.orders.map((o) => ({
        ...o,
        late: [],
        events: Object.fromEntries(
          Object.entries(o.events).filter(([t]) => !o.late.includes(t as InputTopic)),
        ),
      })),
    };
    const lateOnTime: Manifest = { ...m, orders: m.orders.map((o) => ({ ...o, late: [] })) };
    const a = ids(withoutLate, false);
    const b = ids(lateOnTime, false);
    const drainFree = new Set(Object.values(ids(lateOnTime, true)).flat());
    const required = ids(m, true);
    for (const t of OUTPUT_TOPICS) {
      const inB = new Set(b[t]);
      expect(required[t]).toEqual(a[t]!.filter((id) => inB.has(id) && drainFree.has(id)));
    }
    // some results really are left out: the late records changed them
    const all = ids(m, false);
    expect(
      OUTPUT_TOPICS.some((t) => required[t]!.length < all[t]!.filter((id) => drainFree.has(id)).length),
    ).toBe(true);
  });
});
