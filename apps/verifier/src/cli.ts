import { readFileSync } from 'node:fs';
import {
  parseBool,
  parseChoice,
  parseDuration,
  parseFlags,
  parseList,
  parseNumber,
  usage as usageOf,
  type CommandSpec,
} from '@streamtune/cli-kit';
import { parseTargets } from '@streamtune/perf';
import type { VerifyOptions } from './verify';

const FLAGS = {
  manifest: { help: 'the load generator manifest (JSON lines)', def: 'loadgen-manifest.jsonl' },
  brokers: {
    help: 'bootstrap servers, comma-separated (env KAFKA_BROKERS)',
    def: '127.0.0.1:9092',
    env: 'KAFKA_BROKERS',
  },
  'topic-prefix': { help: 'topic prefix (default: the one in the manifest)', def: '' },
  mode: {
    help: 'outputs: check the join results; inputs: check what the generator produced',
    def: 'outputs',
  },
  topics: { help: 'comma-separated logical topics to check (default: all of the mode)', def: '' },
  timeout: { help: 'give up after this long: 90s, 10m', def: '10m' },
  'idle-timeout': { help: 'stop when caught up and nothing arrived for this long', def: '30s' },
  settle: { help: 'keep reading this long after completeness, for duplicates', def: '2s' },
  'min-completeness': { help: 'fail below this share of required results per topic (0..1)', def: '1' },
  'max-unexpected': { help: 'fail above this many unexpected results per topic', def: '0' },
  'check-dead-letters': {
    help: 'count the dead-letter topic against malformed inputs: true|false',
    def: 'false',
  },
  'latency-from': { help: 'value (createdAt of the result) or header', def: 'value' },
  targets: { help: 'JSON file of per-component targets, e.g. {"e2e.p99Ms": {"max": 2000}}', def: '' },
  report: { help: 'write the JSON report here', def: 'verifier-report.json' },
  progress: { help: 'show a progress line: true|false', def: 'true' },
  'metrics-port': {
    help: 'serve /metrics on this port while running (env METRICS_PORT)',
    def: '',
    env: 'METRICS_PORT',
  },
  verbose: { help: 'log kafkajs warnings: true|false', def: 'false' },
} as const;

const COMMAND: CommandSpec<typeof FLAGS> = {
  command: 'npx tsx apps/verifier/src/main.ts --manifest <file> [flags]',
  summary: 'checks the pipeline outputs against the load generator manifest; exits 1 when a check fails',
  flags: FLAGS,
  envPrefix: 'VERIFIER',
  notes: ['every flag can also be set as VERIFIER_<FLAG_IN_UPPER_SNAKE>'],
};

export const usage = (): string => usageOf(COMMAND);

const num = (flag: string, text: string) => parseNumber(flag, text);
const bool = (flag: string, text: string) => parseBool(flag, text);

export function parseCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { help: boolean; options: VerifyOptions } {
  const flags = parseFlags(COMMAND, argv, env);
  const get = flags.get;
  const mode = parseChoice('mode', get('mode'), ['outputs', 'inputs']);
  const latency = parseChoice('latency-from', get('latency-from'), ['value', 'header']);
  const minCompleteness = parseNumber('min-completeness', get('min-completeness'), { min: 0, max: 1 });
  const topics = parseList(get('topics'));
  // undefined, not '': without a prefix the verifier takes the manifest's
  const prefix = flags.given('topic-prefix');
  return {
    help: flags.help,
    options: {
      manifestPath: get('manifest'),
      brokers: parseList(get('brokers')),
      topicPrefix: prefix,
      mode,
      topics: topics.length ? topics : undefined,
      timeoutMs: parseDuration(get('timeout'), 'timeout'),
      idleTimeoutMs: parseDuration(get('idle-timeout'), 'idle-timeout'),
      settleMs: parseDuration(get('settle'), 'settle'),
      minCompleteness,
      maxUnexpected: num('max-unexpected', get('max-unexpected')),
      checkDeadLetters: bool('check-dead-letters', get('check-dead-letters')),
      latencySource: latency,
      targets: get('targets') ? readTargets(get('targets')) : undefined,
      reportPath: get('report') || undefined,
      progress: bool('progress', get('progress')),
      verbose: bool('verbose', get('verbose')),
      metricsPort: get('metrics-port') ? num('metrics-port', get('metrics-port')) : undefined,
    },
  };
}

export function readTargets(path: string) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`--targets: cannot read ${path} (${(err as Error).message})`);
  }
  return parseTargets(json);
}
