import type { Scenario } from './scenario';

/**
 * Smaller variants of a scenario: chunks of steps removed (halves down to single steps),
 * then the stateless operations dropped one at a time. The suite runs a whole batch of
 * them in one JVM and keeps the smallest that still differs.
 */
export function shrinkCandidates(s: Scenario): Scenario[] {
  const out: Scenario[] = [];
  const n = s.steps.length;
  let k = 0;
  const variant = (patch: Partial<Scenario>): Scenario => ({ ...s, ...patch, id: `${s.id}~${k++}` });
  for (let chunk = Math.max(1, Math.floor(n / 2)); chunk >= 1; chunk = Math.floor(chunk / 2)) {
    for (let from = 0; from + chunk <= n; from += chunk) {
      out.push(variant({ steps: [...s.steps.slice(0, from), ...s.steps.slice(from + chunk)] }));
    }
    if (chunk === 1) break;
  }
  const t = s.topology;
  for (const side of ['left', 'right', 'after'] as const) {
    const ops = t[side] ?? [];
    ops.forEach((op, i) => {
      // a repartition after a key change must stay: drop a key-changing op together with nothing else
      if (op.op === 'repartition') return;
      out.push(variant({ topology: { ...t, [side]: ops.filter((_, j) => j !== i) } }));
    });
  }
  return out;
}
