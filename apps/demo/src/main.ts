import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXIT_INTERRUPTED, runMain } from '@streamtune/cli-kit';
import { applicationIdOf, METRICS_PORTS } from '@streamtune/pipeline-service';
import {
  joinInputsOf,
  readManifestHeader,
  topicName,
  type ManifestHeader,
} from '@streamtune/reference-model';
import {
  exitCode,
  portAnswers,
  sleep,
  startProcess,
  tsxEntry,
  waitForHttp,
  type ManagedProcess,
  type Supervisor,
} from '@streamtune/testkit/harness';
import { startInfrastructure, type Infrastructure } from './infrastructure';
import { writeHtmlReport } from './html-report';
import { GroupLag } from './lag';
import { LiveStats, type ServiceRow } from './live';
import { parseOptions, usage, type DemoOptions } from './options';
import { phaseOf } from './phase';
import { DOWN, scrape } from './scrape';
import { SERVICES, startServices, supervisedState } from './services';
import { writeSummary } from './summary';
import { renderView } from './view';

const root = resolve(new URL('../../..', import.meta.url).pathname);
const say = (line: string) => console.log(`[demo] ${line}`);

/** Everything one run started, so that the end stops all of it, whatever failed. */
class Run {
  infra: Infrastructure | undefined;
  services = new Map<string, Supervisor>();
  loadgen: ManagedProcess | undefined;
  verifier: ManagedProcess | undefined;
  readonly startedAt = Date.now();
  readonly events: string[] = [];
  readonly stats = new LiveStats();
  readonly rows = new Map<string, ServiceRow>();
  readonly runDir: string;
  readonly logDir: string;
  readonly manifestPath: string;
  readonly verifierReportPath: string;
  readonly verifyTimeoutMs: number;

  constructor(
    readonly options: DemoOptions,
    readonly stopping: AbortSignal,
  ) {
    this.runDir = resolve(root, options.runDir);
    this.logDir = join(this.runDir, 'logs');
    mkdirSync(this.logDir, { recursive: true });
    this.manifestPath = join(this.runDir, 'loadgen-manifest.jsonl');
    this.verifierReportPath = join(this.runDir, 'verifier-report.json');
    this.verifyTimeoutMs = (Math.ceil(options.durationMs / 60_000) + 15) * 60_000;
  }

  event(line: string): void {
    const at = new Date().toISOString().slice(11, 19);
    this.events.push(`${at} ${line}`);
    if (!process.stdout.isTTY) say(line);
  }

  /** The loadgen or verifier CLI; `metricsPort` '' keeps it from serving /metrics (the topic-creation run). */
  cli(name: 'loadgen' | 'verifier', args: string[], metricsPort = ''): ManagedProcess {
    return startProcess({
      name,
      ...tsxEntry(join(root, 'apps', name, 'src', 'main.ts'), args),
      cwd: root,
      env: { KAFKA_BROKERS: this.infra!.brokers, METRICS_PORT: metricsPort },
      logPath: join(this.logDir, `${name}.log`),
      group: true,
    });
  }

  async stopAll(): Promise<void> {
    await this.loadgen?.stop({ signal: 'SIGINT', graceMs: 30_000 });
    await this.verifier?.stop({ signal: 'SIGINT', graceMs: 15_000 });
    // services commit and close on SIGTERM; in parallel, they are independent. Every
    // incarnation a supervisor started is stopped, restarted ones included.
    await Promise.all([...this.services.values()].map((s) => s.stop({ graceMs: 30_000 })));
    await this.infra?.stop();
  }
}

async function createTopics(run: Run): Promise<void> {
  const o = run.options;
  say(`creating topics (${o.partitions} partitions) on ${run.infra!.brokers}`);
  const create = run.cli('loadgen', [
    ...['--topic-prefix', o.topicPrefix, '--partitions', String(o.partitions)],
    ...['--orders', '0', '--drain', '0', '--progress', 'false'],
    ...['--manifest', join(run.runDir, 'topics-only.jsonl')],
  ]);
  if (exitCode(await create.exited) !== 0)
    throw new Error(`topic creation failed; see ${join(run.logDir, 'loadgen.log')}`);
}

async function startPipeline(run: Run): Promise<void> {
  for (const name of SERVICES) {
    const port = METRICS_PORTS[name];
    if (await portAnswers(port))
      throw new Error(`port ${port} (${name} metrics) is taken: is another demo or compose running?`);
  }
  const brokers = run.infra!.brokers;
  run.services = startServices(run.options, {
    root,
    runDir: run.runDir,
    logDir: run.logDir,
    brokers,
    event: (l) => run.event(l),
  });
  say(`services starting with profile "${run.options.profile}" (logs in ${run.logDir})`);
  await Promise.all(
    SERVICES.map((n) =>
      waitForHttp(`http://127.0.0.1:${METRICS_PORTS[n]}/readyz`, {
        process: run.services.get(n)!,
        timeoutMs: 180_000,
        pollMs: 500,
        signal: run.stopping,
      }),
    ),
  );
}

function startLoad(run: Run): void {
  const o = run.options;
  run.verifier = run.cli(
    'verifier',
    [
      ...['--manifest', run.manifestPath, '--report', run.verifierReportPath],
      ...['--check-dead-letters', 'true', '--timeout', `${run.verifyTimeoutMs}ms`],
    ],
    String(METRICS_PORTS.verifier),
  );
  run.loadgen = run.cli(
    'loadgen',
    [
      ...['--topic-prefix', o.topicPrefix, '--partitions', String(o.partitions), '--create-topics', 'false'],
      ...['--duration', `${o.durationMs}ms`, '--rate', String(o.rate), '--record-size', String(o.recordSize)],
      ...['--time-scale', String(o.windowScale), '--manifest', run.manifestPath],
    ],
    String(METRICS_PORTS.loadgen),
  );
}

async function scrapeServices(run: Run, lag: GroupLag, measureLag: boolean): Promise<void> {
  const at = Date.now();
  const prefix = run.options.topicPrefix;
  const groups = SERVICES.map((s) => applicationIdOf(s, prefix));
  const sources = new Map(
    SERVICES.map((s, i) => [groups[i]!, joinInputsOf(s).map((t) => topicName(t, prefix))] as const),
  );
  const lags = measureLag ? await lag.measure(sources) : undefined;
  for (const [i, name] of SERVICES.entries()) {
    const supervisor = run.services.get(name)!;
    const sample =
      supervisor.state === 'running'
        ? await scrape(`http://127.0.0.1:${METRICS_PORTS[name]}/metrics`, run.options.topicPrefix)
        : DOWN;
    const previousLag = run.rows.get(name)?.lag;
    const row = run.stats.row(name, sample, at, supervisor.restarts, lags?.get(groups[i]!) ?? previousLag);
    run.rows.set(name, { ...row, state: supervisedState(supervisor, sample.state) });
  }
}

/** Redraws the live view until the verifier ends (or a Ctrl-C); resolves with the exit code. */
async function watch(run: Run): Promise<number> {
  const tty = process.stdout.isTTY;
  const lag = new GroupLag(run.infra!.brokers);
  const verifierStartedAt = Date.now();
  let header: ManifestHeader | undefined;
  let lastPrint = 0;
  let linesDrawn = 0;
  let tick = 0;
  try {
    while (run.verifier!.running) {
      if (run.stopping.aborted) {
        await run.loadgen!.stop({ signal: 'SIGINT', graceMs: 30_000 });
        await run.verifier!.stop({ signal: 'SIGINT', graceMs: 15_000 });
        return EXIT_INTERRUPTED;
      }
      // when the load started and how long its drain lasts
      header ??= await readManifestHeader(run.manifestPath);
      // the lag needs a few admin requests: every other frame is enough
      await scrapeServices(run, lag, tick++ % 2 === 0);
      const now = Date.now();
      const text = renderView({
        elapsedMs: now - run.startedAt,
        phase: phaseOf({
          now,
          loadStartedAt: header?.startedAt,
          durationMs: run.options.durationMs,
          drainMs: header?.drainMs,
          loadgenDone: !run.loadgen!.running,
          verifyTimeoutMs: run.verifyTimeoutMs,
          verifierStartedAt,
        }),
        services: run.rows,
        loadgen: run.loadgen!.lastLine(),
        verifier: run.verifier!.lastLine(),
        events: run.events,
        notes: run.infra!.notes,
      });
      if (tty) {
        process.stdout.write(`${linesDrawn ? `\x1b[${linesDrawn}F\x1b[0J` : ''}${text}\n`);
        linesDrawn = text.split('\n').length;
      } else if (now - lastPrint >= 10_000) {
        console.log(`${text}\n`);
        lastPrint = now;
      }
      await sleep(2_000);
    }
    await scrapeServices(run, lag, true);
    return exitCode(await run.verifier!.exited);
  } finally {
    await lag.close();
  }
}

async function demo(options: DemoOptions, stopping: AbortSignal): Promise<number> {
  stopping.addEventListener('abort', () =>
    say(
      'stopping: the load generator first, then the verifier and the services (a second Ctrl-C is ignored; be patient)',
    ),
  );
  const run = new Run(options, stopping);
  let code = 1;
  try {
    run.infra = await startInfrastructure(options, { root, runDir: run.runDir, logDir: run.logDir, say });
    if (!stopping.aborted) await createTopics(run);
    if (!stopping.aborted) await startPipeline(run);
    if (!stopping.aborted) {
      say('services RUNNING; starting the verifier and the load generator');
      startLoad(run);
      code = await watch(run);
    } else code = EXIT_INTERRUPTED;
  } catch (e) {
    console.error(`[demo] ${(e as Error).message}`);
  }
  const summaryPath = join(run.runDir, 'summary.json');
  let verdict: unknown = 'none';
  try {
    ({ verdict } = await writeSummary(summaryPath, {
      options: { ...options, runDir: run.runDir },
      startedAt: run.startedAt,
      exitCode: code,
      brokers: run.infra?.brokers,
      infrastructure: run.infra?.notes,
      services: run.rows,
      lifetimeP99Ms: (s) => run.stats.lifetimeP99Ms(s),
      supervisors: run.services,
      events: run.events,
      files: { verifierReport: run.verifierReportPath, manifest: run.manifestPath, logs: run.logDir },
    }));
  } catch (e) {
    console.error(`[demo] could not write the summary: ${(e as Error).message}`);
  }
  // before the infrastructure stops: the report reads this run's Prometheus
  const reportPath = join(run.runDir, 'report.html');
  const prometheusUrl = run.infra?.prometheusUrl;
  if (prometheusUrl) {
    try {
      const empty = await writeHtmlReport(reportPath, prometheusUrl, {
        startedAt: run.startedAt,
        options,
        verdict,
      });
      say(`dashboards of this run: ${reportPath}${empty.length ? ` (no data in: ${empty.join('; ')})` : ''}`);
    } catch (e) {
      console.error(`[demo] could not write ${reportPath}: ${(e as Error).message}`);
    }
  }
  say('stopping the services' + (run.infra?.ownsBroker ? ' and the broker' : ''));
  await run.stopAll();
  const verifierLog = join(run.logDir, 'verifier.log');
  if (existsSync(verifierLog)) {
    const text = await readFile(verifierLog, 'utf8');
    const at = text.lastIndexOf('verifier (outputs)');
    if (at >= 0) console.log(`\n${text.slice(at).trim()}\n`);
  }
  const restarts = [...run.services.values()].reduce((n, s) => n + s.restarts, 0);
  if (restarts) say(`services restarted after a crash: ${restarts} time(s) (see summary.json, "events")`);
  say(`report: ${run.verifierReportPath}`);
  say(`summary: ${summaryPath}`);
  return code;
}

await runMain({
  name: 'demo',
  usage,
  parse: parseOptions,
  // the demo stops its children in order; a second Ctrl-C must not cut that short
  repeatSignals: 'keep',
  run: demo,
});
