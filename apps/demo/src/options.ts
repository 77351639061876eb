import { parseArgs } from 'node:util';

export interface DemoOptions {
  profile: string;
  /** Good records per second over all input topics. */
  rate: number;
  /** How long orders arrive; the run ends once the verifier has seen the drain after it. */
  durationMs: number;
  recordSize: number;
  topicPrefix: string;
  partitions: number;
  /** WINDOW_SCALE for the services and --time-scale for the load generator. */
  windowScale: number;
  /** Where logs, state, the manifest and the reports go. */
  runDir: string;
  prometheus: boolean;
  help: boolean;
}

export class UsageError extends Error {}

export function usage(): string {
  return `usage: npm run demo -- [flags]
  runs the reference pipeline locally: broker, Prometheus, the three services, load generator and verifier

  --profile baseline|tuned   service profile (any file in apps/<service>/profiles) (default baseline)
  --rate N                   input records per second (default 200)
  --duration D               how long orders arrive: 90s, 5m (default 2m); the drain and verification follow
  --record-size BYTES        mean record size (default 6144)
  --topic-prefix P           prefix for topics and application ids (default none)
  --partitions N             partitions of the topics it creates (default 12)
  --window-scale F           multiply join windows, graces and event delays (default 1)
  --run-dir DIR              logs, state and reports (default .run/demo)
  --prometheus true|false    start Prometheus and node-exporter when installed (default true)
  --help
  KAFKA_BROKERS=host:port uses that broker instead of starting infra/kafka/start.sh`;
}

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`bad duration "${text}" (try 90s, 5m, 1500ms)`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

function positive(name: string, text: string, integer = false): number {
  const n = Number(text);
  if (!(n > 0) || (integer && !Number.isInteger(n)))
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${text}"`);
  return n;
}

export function parseOptions(argv: string[]): DemoOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        profile: { type: 'string', default: 'baseline' },
        rate: { type: 'string', default: '200' },
        duration: { type: 'string', default: '2m' },
        'record-size': { type: 'string', default: '6144' },
        'topic-prefix': { type: 'string', default: '' },
        partitions: { type: 'string', default: '12' },
        'window-scale': { type: 'string', default: '1' },
        'run-dir': { type: 'string', default: '.run/demo' },
        prometheus: { type: 'string', default: 'true' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!/^[a-zA-Z0-9._-]+$/.test(values.profile)) throw new UsageError(`bad profile name "${values.profile}"`);
  if (values.prometheus !== 'true' && values.prometheus !== 'false')
    throw new UsageError('--prometheus is true or false');
  return {
    profile: values.profile,
    rate: positive('rate', values.rate),
    durationMs: parseDuration(values.duration),
    recordSize: positive('record-size', values['record-size'], true),
    topicPrefix: values['topic-prefix'],
    partitions: positive('partitions', values.partitions, true),
    windowScale: positive('window-scale', values['window-scale']),
    runDir: values['run-dir'],
    prometheus: values.prometheus === 'true',
    help: values.help,
  };
}
