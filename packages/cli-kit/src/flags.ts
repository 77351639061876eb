import { parseArgs } from 'node:util';
import { UsageError } from './errors';

export interface FlagSpec {
  help: string;
  /** The value when neither the flag nor its environment variable is set ('' for none). */
  def: string;
  /** The environment variable read when the flag is absent; otherwise `<envPrefix>_<FLAG_IN_UPPER_SNAKE>`. */
  env?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface CommandSpec<F extends FlagSpecs> {
  /** The first usage line, e.g. `npx tsx apps/loadgen/src/main.ts [flags]`. */
  command: string;
  /** What it does, one or two lines. */
  summary: string;
  flags: F;
  /** Every flag falls back to `<envPrefix>_<FLAG>` (unless it names its own `env`); none without it. */
  envPrefix?: string;
  /** Lines after the flags. */
  notes?: readonly string[];
}

export interface ParsedFlags<F extends FlagSpecs> {
  help: boolean;
  /** The flag's value: given, else from the environment, else its default. */
  get(flag: keyof F & string): string;
  /** Only what the command line or the environment said, undefined otherwise. */
  given(flag: keyof F & string): string | undefined;
}

export function envName<F extends FlagSpecs>(
  spec: CommandSpec<F>,
  flag: keyof F & string,
): string | undefined {
  const own = spec.flags[flag]?.env;
  if (own) return own;
  return spec.envPrefix ? `${spec.envPrefix}_${flag.toUpperCase().replace(/-/g, '_')}` : undefined;
}

/** Parses `argv` strictly: an unknown flag or a missing value is a UsageError. */
export function parseFlags<F extends FlagSpecs>(
  spec: CommandSpec<F>,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ParsedFlags<F> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        help: { type: 'boolean' },
        ...Object.fromEntries(Object.keys(spec.flags).map((k) => [k, { type: 'string' as const }])),
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const given = (flag: keyof F & string): string | undefined => {
    const value = values[flag];
    if (typeof value === 'string') return value;
    const name = envName(spec, flag);
    return name ? env[name] : undefined;
  };
  return {
    help: values.help === true,
    given,
    get: (flag) => given(flag) ?? spec.flags[flag]!.def,
  };
}

export function usage<F extends FlagSpecs>(spec: CommandSpec<F>): string {
  const width = Math.max(...Object.keys(spec.flags).map((n) => n.length)) + 2;
  return [
    `usage: ${spec.command}`,
    ...spec.summary.split('\n').map((l) => `  ${l}`),
    '',
    ...Object.entries(spec.flags).map(
      ([name, f]) => `  --${name.padEnd(width)} ${f.help}${f.def ? ` (default ${f.def})` : ''}`,
    ),
    '  --help',
    ...(spec.notes ?? []).map((l) => `  ${l}`),
  ].join('\n');
}
