import { UsageError } from './errors';

const UNITS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** "90s", "5m", "1500ms", "1h" or plain seconds, to ms. */
export function parseDuration(text: string, flag?: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) {
    const what = flag ? `--${flag}: ` : '';
    throw new UsageError(`${what}not a duration: "${text}" (use e.g. 500ms, 30s, 5m)`);
  }
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? 's') as keyof typeof UNITS]);
}

export interface NumberRule {
  integer?: boolean;
  /** Above 0. */
  positive?: boolean;
  min?: number;
  max?: number;
}

export function parseNumber(flag: string, text: string, rule: NumberRule = {}): number {
  const v = Number(text);
  const kind = `${rule.positive ? 'a positive' : rule.integer ? 'an' : 'a'} ${rule.integer ? 'integer' : 'number'}`;
  if (
    text.trim() === '' ||
    !Number.isFinite(v) ||
    (rule.integer && !Number.isInteger(v)) ||
    (rule.positive && !(v > 0))
  )
    throw new UsageError(`--${flag}: expected ${kind}, got "${text}"`);
  if ((rule.min !== undefined && v < rule.min) || (rule.max !== undefined && v > rule.max))
    throw new UsageError(`--${flag}: expected a value within ${rule.min ?? '-∞'}..${rule.max ?? '∞'}`);
  return v;
}

/** true/1 or false/0; with `emptyIsTrue`, a bare `--flag=` means true. */
export function parseBool(flag: string, text: string, { emptyIsTrue = false } = {}): boolean {
  if (text === 'true' || text === '1' || (emptyIsTrue && text === '')) return true;
  if (text === 'false' || text === '0') return false;
  throw new UsageError(`--${flag}: expected true or false, got "${text}"`);
}

export function parseChoice<const C extends string>(flag: string, text: string, choices: readonly C[]): C {
  if ((choices as readonly string[]).includes(text)) return text as C;
  throw new UsageError(`--${flag}: expected ${choices.join(', ')}, got "${text}"`);
}

/** A comma-separated list, blanks dropped. */
export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}
