/**
 * Performance targets per component ("p99 of orders-paid at most 500 ms",
 * "N orders completely processed within 2 minutes") checked against measured
 * figures, so a team's CI can fail a run that misses them.
 */
export interface Target {
  max?: number;
  min?: number;
}

export type Targets = Record<string, Target>;

export interface TargetCheck {
  name: string;
  value: number | undefined;
  target: Target;
  ok: boolean;
  /** Why it failed, in words. */
  reason?: string;
}

/** Validates a targets file's content: `{ "<metric>": { "max"?: n, "min"?: n } }`. */
export function parseTargets(json: unknown): Targets {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error('targets: expected an object of { "<metric>": { "max"?: number, "min"?: number } }');
  }
  const out: Targets = {};
  for (const [name, t] of Object.entries(json as Record<string, unknown>)) {
    if (typeof t !== 'object' || t === null)
      throw new Error(`targets: "${name}" must be an object with max and/or min`);
    const { max, min, ...rest } = t as Record<string, unknown>;
    if (Object.keys(rest).length)
      throw new Error(`targets: "${name}" has unknown key(s) ${Object.keys(rest).join(', ')}`);
    if (max === undefined && min === undefined) throw new Error(`targets: "${name}" needs max or min`);
    for (const [k, v] of [
      ['max', max],
      ['min', min],
    ] as const) {
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
        throw new Error(`targets: "${name}".${k} must be a number`);
      }
    }
    out[name] = {
      ...(max !== undefined ? { max: max as number } : {}),
      ...(min !== undefined ? { min: min as number } : {}),
    };
  }
  return out;
}

/** Checks every target; a metric that was not measured fails (a silent pass would hide a broken run). */
export function checkTargets(
  measured: Record<string, number | undefined>,
  targets: Targets,
): { ok: boolean; checks: TargetCheck[] } {
  const checks = Object.entries(targets).map(([name, target]): TargetCheck => {
    const value = measured[name];
    if (value === undefined || !Number.isFinite(value)) {
      return { name, value: undefined, target, ok: false, reason: `${name} was not measured` };
    }
    if (target.max !== undefined && value > target.max) {
      return { name, value, target, ok: false, reason: `${name} = ${value} > max ${target.max}` };
    }
    if (target.min !== undefined && value < target.min) {
      return { name, value, target, ok: false, reason: `${name} = ${value} < min ${target.min}` };
    }
    return { name, value, target, ok: true };
  });
  return { ok: checks.every((c) => c.ok), checks };
}
