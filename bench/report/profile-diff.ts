import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/processes';

/** The knobs a profile changes against baseline, as a diff of flattened keys (from apps/checkout/profiles). */
export function profileDiff(profile: string): string {
  const dir = join(ROOT, 'apps/checkout/profiles');
  const load = (name: string): Record<string, unknown> => {
    const file = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Record<string, unknown>;
    const { extends: parent, description: _d, ...rest } = file;
    const base = typeof parent === 'string' ? load(parent) : {};
    return { ...flatten(base), ...flatten(rest) };
  };
  const before = load('baseline');
  const after = load(profile);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const lines = keys.flatMap((k) => {
    const b = JSON.stringify(before[k]);
    const a = JSON.stringify(after[k]);
    if (b === a) return [`  ${k}: ${b}`];
    return [...(b !== undefined ? [`- ${k}: ${b}`] : []), ...(a !== undefined ? [`+ ${k}: ${a}`] : [])];
  });
  return ['```diff', `# apps/*/profiles/baseline.json -> ${profile}.json (flattened)`, ...lines, '```'].join(
    '\n',
  );
}

function flatten(o: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object' && !Array.isArray(v))
      Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}
