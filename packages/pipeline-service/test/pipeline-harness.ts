import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, kafkaBrokers, repoRoot, testKafka } from '@streamtune/testkit';
import type { ServiceName } from '@streamtune/reference-model';

const root = repoRoot();
/**
 * `node --import tsx <file>` (as the Docker image runs the apps), not the tsx CLI: the CLI is
 * a parent process that relays SIGTERM but cannot relay SIGKILL, so killing it would leave
 * the service running as an orphan.
 */
const appCommand = (app: string): [string, string[]] => [
  process.execPath,
  ['--import', 'tsx', join(root, 'apps', app, 'src', 'main.ts')],
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunSettings {
  prefix: string;
  /** Logs, manifests, reports and service state go here. */
  dir: string;
  windowScale: number;
  profile: string;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A pipeline service as a child process, the way compose and the demo run it. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private exit: Promise<ExitStatus> | undefined;
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
    const log = createWriteStream(join(dir, `${this.service}.${this.starts}.log`));
    const [command, args] = appCommand(this.service);
    const child = spawn(command, args, {
      cwd: root,
      env: {
        ...process.env,
        KAFKA_BROKERS: kafkaBrokers().join(','),
        TOPIC_PREFIX: prefix,
        STREAMTUNE_PROFILE: profile,
        WINDOW_SCALE: String(windowScale),
        STATE_DIR: join(dir, 'state'),
        INSTANCE: `${this.service}-1`,
        METRICS_PORT: String(this.port),
        ...this.extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves once /readyz answers 200 (the streams client is RUNNING); rejects if the process exits. */
  async ready(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited: ExitStatus | undefined;
    void this.exit!.then((s) => (exited = s));
    while (Date.now() < deadline) {
      if (exited) throw new Error(`${this.service} exited before it was ready: ${JSON.stringify(exited)}`);
      const ok = await fetch(`${this.metricsUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await sleep(250);
    }
    throw new Error(`${this.service} not ready after ${timeoutMs} ms`);
  }

  /** Sum of one metric family's samples on /metrics (0 when absent), optionally of lines containing `having`. */
  async metric(name: string, having = ''): Promise<number> {
    const text = await fetch(`${this.metricsUrl}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
    let sum = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name} `) && !line.startsWith(`${name}{`)) continue;
      if (line.includes(having)) sum += Number(line.split(' ').at(-1));
    }
    return sum;
  }

  kill(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  async exited(): Promise<ExitStatus> {
    return this.exit!;
  }

  /** SIGTERM (commit and close), SIGKILL if it does not end in time. */
  async stop(timeoutMs = 30_000): Promise<ExitStatus | undefined> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return undefined;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    const status = await this.exit!;
    clearTimeout(timer);
    return status;
  }
}

export interface CliResult {
  code: number | null;
  output: string;
}

/** Runs the loadgen or verifier CLI as a child process; resolves with its exit code and output. */
export function runCli(app: 'loadgen' | 'verifier', args: string[], logPath: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [command, appArgs] = appCommand(app);
    const child = spawn(command, [...appArgs, ...args], {
      cwd: root,
      env: { ...process.env, KAFKA_BROKERS: kafkaBrokers().join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(logPath);
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('exit', (code) => {
      log.end();
      resolve({ code, output });
    });
  });
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
