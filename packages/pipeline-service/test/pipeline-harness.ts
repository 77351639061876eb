import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  freePort,
  kafkaBrokers,
  parsePrometheusText,
  repoRoot,
  scrapeText,
  startProcess,
  sumOf,
  testKafka,
  tsxEntry,
  waitForHttp,
  type ExitStatus,
  type ManagedProcess,
} from '@streamtune/testkit';
import type { ServiceName } from '@streamtune/reference-model';

const entry = (app: string) => join(repoRoot(), 'apps', app, 'src', 'main.ts');

export interface RunSettings {
  prefix: string;
  /** Logs, manifests, reports and service state go here. */
  dir: string;
  windowScale: number;
  profile: string;
}

export type { ExitStatus };

/** A pipeline service as a child process, the way compose and the demo run it. */
export class ServiceProcess {
  private process: ManagedProcess | undefined;
  private port = 0;
  private starts = 0;

  constructor(
    readonly service: ServiceName,
    private readonly settings: RunSettings,
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  get metricsUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts, with the same instance name and state directory) the service. */
  async start(): Promise<void> {
    this.port = await freePort();
    this.starts++;
    const { prefix, dir, windowScale, profile } = this.settings;
    this.process = startProcess({
      name: this.service,
      ...tsxEntry(entry(this.service)),
      logPath: join(dir, `${this.service}.${this.starts}.log`),
      env: {
        KAFKA_BROKERS: kafkaBrokers().join(','),
        TOPIC_PREFIX: prefix,
        STREAMTUNE_PROFILE: profile,
        WINDOW_SCALE: String(windowScale),
        STATE_DIR: join(dir, 'state'),
        INSTANCE: `${this.service}-1`,
        METRICS_PORT: String(this.port),
        ...this.extraEnv,
      },
    });
  }

  /** Resolves once /readyz answers 200 (the streams client is RUNNING); rejects if the process exits. */
  async ready(timeoutMs = 90_000): Promise<void> {
    await waitForHttp(`${this.metricsUrl}/readyz`, { process: this.process, timeoutMs });
  }

  /** Sum of one metric family's samples on /metrics (0 when absent), optionally of the series `match` keeps. */
  async metric(name: string, match?: (labels: Record<string, string>) => boolean): Promise<number> {
    const samples = parsePrometheusText((await scrapeText(`${this.metricsUrl}/metrics`)) ?? '');
    return sumOf(samples, name, match) ?? 0;
  }

  kill(signal: NodeJS.Signals): void {
    this.process?.signal(signal);
  }

  async exited(): Promise<ExitStatus> {
    return this.process!.exited;
  }

  /** SIGTERM (commit and close), SIGKILL if it does not end in time. */
  async stop(timeoutMs = 30_000): Promise<ExitStatus | undefined> {
    if (!this.process?.running) return undefined;
    return this.process.stop({ graceMs: timeoutMs });
  }
}

export interface CliResult {
  code: number | null;
  output: string;
}

/** Runs the loadgen or verifier CLI as a child process; resolves with its exit code and last lines (all of them in `logPath`). */
export async function runCli(
  app: 'loadgen' | 'verifier',
  args: string[],
  logPath: string,
): Promise<CliResult> {
  const cli = startProcess({
    name: app,
    ...tsxEntry(entry(app), args),
    env: { KAFKA_BROKERS: kafkaBrokers().join(',') },
    logPath,
  });
  const { code, error } = await cli.exited;
  if (error) throw error;
  return { code, output: cli.tail(60) };
}

/** The verifier's JSON report, with the fields the tests read. */
export interface Report {
  verdict: 'pass' | 'fail';
  failures: string[];
  topics: {
    topic: string;
    required: number;
    received: number;
    missing: number;
    missingSamples: string[];
    unexpectedSamples: string[];
    duplicates: number;
    unexpected: number;
    completeness: number;
  }[];
  deadLetters?: { expectedAtLeast: number; seen: number };
  /** The windowed aggregation's value check (outputs mode, manifests that record it). */
  revenue?: { exactWindows: number; mismatched: number; mismatchSamples: string[] };
}

export async function readReport(path: string): Promise<Report> {
  return JSON.parse(await readFile(path, 'utf8')) as Report;
}

/** Deletes every topic of a run: inputs, outputs, dead letters and the services' internal topics. */
export async function deleteRunTopics(prefix: string): Promise<void> {
  const admin = testKafka('pipeline-test-cleanup').admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 30_000 });
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(`${prefix}.`));
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
