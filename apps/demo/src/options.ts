import {
  parseBool,
  parseDuration,
  parseFlags,
  parseNumber,
  usage as usageOf,
  UsageError,
  type CommandSpec,
} from '@streamtune/cli-kit';

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
  /** Start a service that exits unasked again, on its state directory. */
  restartOnCrash: boolean;
  help: boolean;
}

const FLAGS = {
  profile: {
    help: 'service profile: baseline, tuned (any file in apps/<service>/profiles)',
    def: 'baseline',
  },
  rate: { help: 'input records per second', def: '200' },
  duration: {
    help: 'how long orders arrive: 90s, 5m; the drain and verification follow (see the README)',
    def: '2m',
  },
  'record-size': { help: 'mean record size in bytes', def: '6144' },
  'topic-prefix': { help: 'prefix for topics and application ids', def: '' },
  partitions: { help: 'partitions of the topics it creates', def: '12' },
  'window-scale': { help: 'multiply join windows, graces and event delays', def: '1' },
  'run-dir': { help: 'logs, state and reports', def: '.run/demo' },
  prometheus: { help: 'start Prometheus and node-exporter when installed: true|false', def: 'true' },
  'restart-on-crash': {
    help: 'restart a service that crashes, on its state directory: true|false',
    def: 'true',
  },
} as const;

const COMMAND: CommandSpec<typeof FLAGS> = {
  command: 'npm run demo -- [flags]',
  summary:
    'runs the reference pipeline locally: broker, Prometheus, the three services, load generator and verifier',
  flags: FLAGS,
  notes: ['KAFKA_BROKERS=host:port uses that broker instead of starting infra/kafka/start.sh'],
};

export const usage = (): string => usageOf(COMMAND);

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = {}): DemoOptions {
  const flags = parseFlags(COMMAND, argv, env);
  const get = flags.get;
  const profile = get('profile');
  if (!/^[a-zA-Z0-9._-]+$/.test(profile)) throw new UsageError(`bad profile name "${profile}"`);
  return {
    profile,
    rate: parseNumber('rate', get('rate'), { positive: true }),
    durationMs: parseDuration(get('duration'), 'duration'),
    recordSize: parseNumber('record-size', get('record-size'), { positive: true, integer: true }),
    topicPrefix: get('topic-prefix'),
    partitions: parseNumber('partitions', get('partitions'), { positive: true, integer: true }),
    windowScale: parseNumber('window-scale', get('window-scale'), { positive: true }),
    runDir: get('run-dir'),
    prometheus: parseBool('prometheus', get('prometheus')),
    restartOnCrash: parseBool('restart-on-crash', get('restart-on-crash')),
    help: flags.help,
  };
}
