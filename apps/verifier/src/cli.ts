import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseTargets } from '@streamtune/perf';
import type { VerifyOptions } from './verify';

const FLAGS = {
  manifest: { help: 'the load generator manifest (JSON lines)', def: 'loadgen-manifest.jsonl' },
  brokers: { help: 'bootstrap servers, comma-separated (env KAFKA_BROKERS)', def: '127.0.0.1:9092' },
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
  'metrics-port': { help: 'serve /metrics on this port while running (env METRICS_PORT)', def: '' },
  verbose: { help: 'log kafkajs warnings: true|false', def: 'false' },
} as const;

type Flag = keyof typeof FLAGS;

export function usage(): string {
  return [
    'usage: npx tsx apps/verifier/src/main.ts --manifest <file> [flags]',
    '  checks the pipeline outputs against the load generator manifest; exits 1 when a check fails',
    '',
    ...Object.entries(FLAGS).map(
      ([n, f]) => `  --${n.padEnd(20)} ${f.help}${f.def ? ` (default ${f.def})` : ''}`,
    ),
    '  --help',
    '  every flag can also be set as VERIFIER_<FLAG_IN_UPPER_SNAKE>',
  ].join('\n');
}

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}" (use e.g. 500ms, 30s, 5m)`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

function bool(flag: string, text: string): boolean {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new Error(`--${flag}: expected true or false, got "${text}"`);
}

function num(flag: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v))
    throw new Error(`--${flag}: expected a number, got "${text}"`);
  return v;
}

export function parseCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { help: boolean; options: VerifyOptions } {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean' },
      ...(Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' }])) as Record<
        Flag,
        { type: 'string' }
      >),
    },
    strict: true,
  });
  const get = (flag: Flag): string => {
    const given = (values as Record<string, string | undefined>)[flag];
    if (given !== undefined) return given;
    const envName =
      flag === 'brokers' ? 'KAFKA_BROKERS' : `VERIFIER_${flag.toUpperCase().replace(/-/g, '_')}`;
    return env[envName] ?? FLAGS[flag].def;
  };
  const mode = get('mode');
  if (mode !== 'outputs' && mode !== 'inputs')
    throw new Error(`--mode: expected outputs or inputs, got "${mode}"`);
  const latency = get('latency-from');
  if (latency !== 'value' && latency !== 'header')
    throw new Error('--latency-from: expected value or header');
  const minCompleteness = num('min-completeness', get('min-completeness'));
  if (minCompleteness < 0 || minCompleteness > 1)
    throw new Error('--min-completeness: expected a share within 0..1');
  const topics = get('topics')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const prefix = (values as Record<string, string | undefined>)['topic-prefix'] ?? env.VERIFIER_TOPIC_PREFIX;
  return {
    help: Boolean(values.help),
    options: {
      manifestPath: get('manifest'),
      brokers: get('brokers')
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
      topicPrefix: prefix,
      mode,
      topics: topics.length ? topics : undefined,
      timeoutMs: parseDuration(get('timeout')),
      idleTimeoutMs: parseDuration(get('idle-timeout')),
      settleMs: parseDuration(get('settle')),
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
