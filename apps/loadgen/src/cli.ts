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
import { INPUT_TOPICS, type InputTopic } from '@streamtune/reference-model';
import { defaultPlanOptions, scaleTime, type PlanOptions, type SizeDistribution } from './options';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from './run';

/** Flags; each can also come from the environment as LOADGEN_<FLAG_IN_UPPER_SNAKE> (brokers: KAFKA_BROKERS). */
const FLAGS = {
  brokers: {
    help: 'bootstrap servers, comma-separated (env KAFKA_BROKERS)',
    def: '127.0.0.1:9092',
    env: 'KAFKA_BROKERS',
  },
  'topic-prefix': { help: 'prefix for every topic name: <prefix>.orders', def: '' },
  partitions: { help: 'partitions of topics it creates', def: '12' },
  'create-topics': { help: 'create missing pipeline topics: true|false', def: 'true' },
  orders: { help: 'orders to produce and check (instead of --duration)', def: '' },
  duration: { help: 'how long orders arrive: 90s, 5m, 1500ms (ignored with --orders)', def: '60s' },
  rate: { help: 'good records per second over all input topics', def: '500' },
  'rate-steps': {
    help: 'capacity search: rates one after another, e.g. 100,200,400 (the duration becomes steps x --step-duration; drain at --rate)',
    def: '',
  },
  'step-duration': { help: 'how long each of --rate-steps lasts', def: '150s' },
  drain: {
    help: 'traffic after the measured orders so every window closes: auto or a duration',
    def: 'auto',
  },
  seed: { help: 'PRNG seed: same seed and flags, same events', def: 'streamtune' },
  'record-size': { help: 'mean record size in bytes', def: '6144' },
  'size-distribution': { help: 'fixed | uniform | lognormal', def: 'lognormal' },
  'size-spread': { help: 'uniform: +-fraction of the mean; lognormal: sigma', def: '0.5' },
  'order-keys': { help: 'distinct order keys (0: one per order)', def: '0' },
  'sessions-per-order': { help: 'browsing sessions per order (>= 1)', def: '1.5' },
  'views-per-session': { help: 'page views per session, min-max', def: '1-3' },
  'direct-order-share': { help: 'orders without a web session', def: '0.03' },
  'missing-payment': { help: 'share of orders never paid (nothing follows)', def: '0.02' },
  'missing-fraud-check': { help: 'share of paid orders without a fraud check', def: '0.1' },
  'missing-inventory': {
    help: 'share of paid orders without a reservation (no shipment either)',
    def: '0.01',
  },
  'missing-delivery': { help: 'share of shipments without a delivery', def: '0.1' },
  'sessions-without-clicks': { help: 'share of sessions without an ad click', def: '0.3' },
  'late-share': { help: 'share of orders with one event later than window + grace', def: '0.01' },
  'late-topics': { help: 'topics late events are chosen from', def: 'payments,deliveries' },
  'out-of-order-share': { help: 'share of orders with one event held back (within grace)', def: '0.05' },
  'out-of-order-delay': { help: 'how long such an event is held back', def: '1s' },
  'malformed-share': { help: 'share of records followed by a garbled (non-JSON) copy', def: '0.001' },
  'time-scale': { help: 'multiply every delay and join window (0.2 for short test runs)', def: '1' },
  manifest: { help: 'manifest file (JSON lines) for the verifier', def: 'loadgen-manifest.jsonl' },
  'max-batch': { help: 'most records per produce request', def: '1000' },
  'max-batch-bytes': {
    help: 'most value bytes per topic in one request (broker limit: 1 MiB per batch)',
    def: '800000',
  },
  'max-in-flight': {
    help: 'produce requests awaiting acks at once (above 1, retries may reorder)',
    def: '1',
  },
  compression: { help: 'none | gzip', def: 'none' },
  acks: { help: '-1 | 0 | 1', def: '-1' },
  progress: { help: 'show the progress line: true|false', def: 'true' },
  'metrics-port': {
    help: 'serve /metrics on this port while running (env METRICS_PORT)',
    def: '',
    env: 'METRICS_PORT',
  },
  verbose: { help: 'log kafkajs warnings: true|false', def: 'false' },
} as const;

const COMMAND: CommandSpec<typeof FLAGS> = {
  command: 'npx tsx apps/loadgen/src/main.ts [flags]',
  summary: 'produces the reference pipeline input events and writes a manifest for the verifier',
  flags: FLAGS,
  envPrefix: 'LOADGEN',
};

export const usage = (): string => usageOf(COMMAND);

const num = (flag: string, text: string, { integer = false } = {}) => parseNumber(flag, text, { integer });
// a bare `--create-topics=` means true, as it always has here
const bool = (flag: string, text: string) => parseBool(flag, text, { emptyIsTrue: true });

export interface Cli {
  help: boolean;
  plan: PlanOptions;
  run: RunOptions;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Cli {
  const flags = parseFlags(COMMAND, argv, env);
  const get = flags.get;
  const distribution = parseChoice('size-distribution', get('size-distribution'), [
    'fixed',
    'uniform',
    'lognormal',
  ]);
  const views = /^(\d+)-(\d+)$/.exec(get('views-per-session'));
  if (!views || Number(views[1]) > Number(views[2]))
    throw new Error('--views-per-session: expected min-max, e.g. 1-3');
  const lateTopics = parseList(get('late-topics'));
  for (const t of lateTopics) {
    if (!(INPUT_TOPICS as readonly string[]).includes(t))
      throw new Error(`--late-topics: unknown topic "${t}"`);
  }
  const compression = parseChoice('compression', get('compression'), ['none', 'gzip']);
  const acks = num('acks', get('acks'), { integer: true });
  if (acks !== -1 && acks !== 0 && acks !== 1) throw new Error('--acks: expected -1, 0 or 1');
  const ordersText = get('orders');
  const drainText = get('drain');
  const stepsText = get('rate-steps');
  const rateSteps = stepsText
    ? {
        rates: parseList(stepsText).map((r) => num('rate-steps', r)),
        stepMs: parseDuration(get('step-duration'), 'step-duration'),
      }
    : undefined;
  if (rateSteps && ordersText) throw new Error('--rate-steps and --orders: give one of them');

  let plan = defaultPlanOptions({
    seed: get('seed'),
    rate: num('rate', get('rate')),
    orders: ordersText ? num('orders', ordersText, { integer: true }) : undefined,
    ...(rateSteps ? { rateSteps } : {}),
    durationMs: rateSteps
      ? rateSteps.rates.length * rateSteps.stepMs
      : ordersText
        ? undefined
        : parseDuration(get('duration'), 'duration'),
    drainMs: drainText === 'auto' ? 'auto' : parseDuration(drainText),
    recordSize: {
      mean: num('record-size', get('record-size')),
      distribution: distribution satisfies SizeDistribution,
      spread: num('size-spread', get('size-spread')),
    },
    orderKeys: num('order-keys', get('order-keys'), { integer: true }),
    sessionsPerOrder: num('sessions-per-order', get('sessions-per-order')),
    viewsPerSession: [Number(views[1]), Number(views[2])],
    directOrderShare: num('direct-order-share', get('direct-order-share')),
    missing: {
      payment: num('missing-payment', get('missing-payment')),
      fraudCheck: num('missing-fraud-check', get('missing-fraud-check')),
      inventory: num('missing-inventory', get('missing-inventory')),
      delivery: num('missing-delivery', get('missing-delivery')),
      click: num('sessions-without-clicks', get('sessions-without-clicks')),
    },
    lateShare: num('late-share', get('late-share')),
    lateTopics: lateTopics as InputTopic[],
    outOfOrderShare: num('out-of-order-share', get('out-of-order-share')),
    outOfOrderDelayMs: parseDuration(get('out-of-order-delay')),
    malformedShare: num('malformed-share', get('malformed-share')),
  });
  const scale = num('time-scale', get('time-scale'));
  if (scale !== 1) plan = scaleTime(plan, scale);

  const run: RunOptions = {
    ...DEFAULT_RUN_OPTIONS,
    brokers: parseList(get('brokers')),
    topicPrefix: get('topic-prefix'),
    partitions: num('partitions', get('partitions'), { integer: true }),
    createTopics: bool('create-topics', get('create-topics')),
    manifestPath: get('manifest'),
    maxBatch: num('max-batch', get('max-batch'), { integer: true }),
    maxBatchBytes: num('max-batch-bytes', get('max-batch-bytes'), { integer: true }),
    maxInFlight: Math.max(1, num('max-in-flight', get('max-in-flight'), { integer: true })),
    compression,
    acks: acks as RunOptions['acks'],
    progress: bool('progress', get('progress')),
    verbose: bool('verbose', get('verbose')),
    metricsPort: get('metrics-port')
      ? num('metrics-port', get('metrics-port'), { integer: true })
      : undefined,
  };
  return { help: flags.help, plan, run };
}
