import { describe, expect, it } from 'vitest';
import {
  parseBool,
  parseChoice,
  parseDuration,
  parseFlags,
  parseList,
  parseNumber,
  usage,
  UsageError,
  type CommandSpec,
} from '../src/index';

const FLAGS = {
  brokers: { help: 'bootstrap servers', def: '127.0.0.1:9092', env: 'KAFKA_BROKERS' },
  rate: { help: 'records per second', def: '500' },
  seed: { help: 'PRNG seed', def: '' },
} as const;
const COMMAND: CommandSpec<typeof FLAGS> = {
  command: 'tool [flags]',
  summary: 'does a thing',
  flags: FLAGS,
  envPrefix: 'TOOL',
  notes: ['a note'],
};

describe('cli-kit', () => {
  it('takes a flag before its environment variable before the default', () => {
    const env = { TOOL_RATE: '9', TOOL_SEED: 'env-seed', KAFKA_BROKERS: 'k:1' };
    const f = parseFlags(COMMAND, ['--rate', '7'], env);
    expect([f.get('rate'), f.get('seed'), f.get('brokers')]).toEqual(['7', 'env-seed', 'k:1']);
    expect(parseFlags(COMMAND, [], {}).get('rate')).toBe('500');
    expect(parseFlags(COMMAND, [], {}).given('seed')).toBeUndefined();
    expect(parseFlags(COMMAND, ['--help'], {}).help).toBe(true);
    expect(() => parseFlags(COMMAND, ['--nope'], {})).toThrow(UsageError);
  });

  it('writes a usage with every flag, its default and the notes', () => {
    const text = usage(COMMAND);
    expect(text).toMatch(/^usage: tool \[flags\]\n {2}does a thing\n/);
    expect(text).toMatch(/--rate\s+records per second \(default 500\)/);
    expect(text).toMatch(/--seed\s+PRNG seed\n/);
    expect(text).toContain('  a note');
  });

  it('parses values and names the flag when one is bad', () => {
    expect(parseDuration('1500ms')).toBe(1_500);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('3')).toBe(3_000);
    expect(() => parseDuration('soon', 'duration')).toThrow(/--duration: not a duration/);
    expect(parseNumber('n', '2.5')).toBe(2.5);
    expect(() => parseNumber('n', '1.5', { integer: true })).toThrow(/--n: expected an integer/);
    expect(() => parseNumber('n', '0', { positive: true })).toThrow(/positive/);
    expect(() => parseNumber('share', '2', { min: 0, max: 1 })).toThrow(/0\.\.1/);
    expect(parseBool('b', '0')).toBe(false);
    expect(parseBool('b', '', { emptyIsTrue: true })).toBe(true);
    expect(() => parseBool('b', '')).toThrow(/--b/);
    expect(parseChoice('mode', 'inputs', ['outputs', 'inputs'])).toBe('inputs');
    expect(() => parseChoice('mode', 'both', ['outputs', 'inputs'])).toThrow(
      /--mode: expected outputs, inputs/,
    );
    expect(parseList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
  });
});
