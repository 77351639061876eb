export { UsageError, EXIT_USAGE, EXIT_INTERRUPTED } from './errors';
export { parseFlags, usage, envName } from './flags';
export type { FlagSpec, FlagSpecs, CommandSpec, ParsedFlags } from './flags';
export { parseDuration, parseNumber, parseBool, parseChoice, parseList } from './values';
export type { NumberRule } from './values';
export { runMain } from './main';
export type { MainSpec } from './main';
