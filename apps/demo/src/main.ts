import { existsSync, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { METRICS_PORTS } from '@streamtune/pipeline-service';
import { UsageError } from '@streamtune/cli-kit';
import { parseOptions, usage, type DemoOptions } from './options';
import {
  exitCode,
  portAnswers,
  sleep,
  startProcess,
  tsxEntry,
  waitForHttp,
  type ManagedProcess,
} from '@streamtune/testkit/harness';
import { scrape, quantileMs, type ServiceSample } from './scrape';
import { renderView } from './view';
import { startInfrastructure, type Infrastructure } from './infrastructure';

const root = resolve(new URL('../../..', import.meta.url).pathname);
const entry = (name: string) => join(root, 'apps', name, 'src', 'main.ts');
const SERVICES = ['checkout', 'fulfillment', 'marketing'] as const;

let options: DemoOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (e) {
  console.error(`demo: ${(e as Error).message}\n\n${usage()}`);
  process.exit(e instanceof UsageError ? 64 : 1);
}
if (options.help) {
  console.log(usage());
  process.exit(0);
}

const runDir = resolve(root, options.runDir);
const logDir = join(runDir, 'logs');
mkdirSync(logDir, { recursive: true });
const manifestPath = join(runDir, 'loadgen-manifest.jsonl');
const verifierReportPath = join(runDir, 'verifier-report.json');
const summaryPath = join(runDir, 'summary.json');
const tty = process.stdout.isTTY;
const say = (line: string) => console.log(`[demo] ${line}`);

let stopRequested = false;
const stopping = new AbortController();
let infra: Infrastructure | undefined;
const services = new Map<string, ManagedProcess>();
let loadgen: ManagedProcess | undefined;
let verifier: ManagedProcess | undefined;
const startedAt = Date.now();

process.on('SIGINT', () => {
  if (stopRequested) return;
  stopRequested = true;
  stopping.abort();
  say(
    'Ctrl-C: stopping the load generator, then the verifier and the services (Ctrl-C again is ignored; be patient)',
  );
});
process.on('SIGTERM', () => {
  stopRequested = true;
  stopping.abort();
});

async function waitReady(port: number, proc: ManagedProcess): Promise<void> {
  await waitForHttp(`http://127.0.0.1:${port}/readyz`, {
    process: proc,
    timeoutMs: 180_000,
    pollMs: 500,
    signal: stopping.signal,
  });
}

/** The loadgen or verifier CLI; `metricsPort` '' keeps it from serving /metrics (the topic-creation run). */
function cli(
  name: 'loadgen' | 'verifier',
  args: string[],
  brokers: string,
  metricsPort = '',
): ManagedProcess {
  return startProcess({
    name,
    ...tsxEntry(entry(name), args),
    cwd: root,
    env: { KAFKA_BROKERS: brokers, METRICS_PORT: metricsPort },
    logPath: join(logDir, `${name}.log`),
    group: true,
  });
}

async function run(): Promise<number> {
  infra = await startInfrastructure(options, { root, runDir, logDir, say });
  const brokers = infra.brokers;
  if (stopRequested) return 130;

  say(`creating topics (${options.partitions} partitions) on ${brokers}`);
  const create = cli(
    'loadgen',
    [
      '--topic-prefix',
      options.topicPrefix,
      '--partitions',
      String(options.partitions),
      '--orders',
      '0',
      '--drain',
      '0',
      '--progress',
      'false',
      '--manifest',
      join(runDir, 'topics-only.jsonl'),
    ],
    brokers,
  );
  if (exitCode(await create.exited) !== 0)
    throw new Error(`topic creation failed; see ${join(logDir, 'loadgen.log')}`);

  for (const name of SERVICES) {
    const port = METRICS_PORTS[name];
    if (await portAnswers(port))
      throw new Error(`port ${port} (${name} metrics) is taken: is another demo or compose running?`);
    services.set(
      name,
      startProcess({
        name,
        ...tsxEntry(entry(name)),
        cwd: root,
        group: true,
        env: {
          KAFKA_BROKERS: brokers,
          STREAMTUNE_PROFILE: options.profile,
          TOPIC_PREFIX: options.topicPrefix,
          METRICS_PORT: String(port),
          STATE_DIR: join(runDir, 'state'),
          INSTANCE: `${name}-demo`,
          WINDOW_SCALE: String(options.windowScale),
        },
        logPath: join(logDir, `${name}.log`),
      }),
    );
  }
  say(`services starting with profile "${options.profile}" (logs in ${logDir})`);
  await Promise.all(SERVICES.map((n) => waitReady(METRICS_PORTS[n], services.get(n)!)));
  if (stopRequested) return 130;
  say('services RUNNING; starting the verifier and the load generator');

  verifier = cli(
    'verifier',
    [
      '--manifest',
      manifestPath,
      '--report',
      verifierReportPath,
      '--check-dead-letters',
      'true',
      '--timeout',
      `${Math.ceil(options.durationMs / 60_000) + 15}m`,
    ],
    brokers,
    String(METRICS_PORTS.verifier),
  );
  loadgen = cli(
    'loadgen',
    [
      '--topic-prefix',
      options.topicPrefix,
      '--partitions',
      String(options.partitions),
      '--create-topics',
      'false',
      '--duration',
      `${options.durationMs}ms`,
      '--rate',
      String(options.rate),
      '--record-size',
      String(options.recordSize),
      '--time-scale',
      String(options.windowScale),
      '--manifest',
      manifestPath,
    ],
    brokers,
    String(METRICS_PORTS.loadgen),
  );

  const previous = new Map<string, { sample: ServiceSample; at: number }>();
  let loadgenDone = false;
  let verifierDone = false;
  let lastPrint = 0;
  let linesDrawn = 0;
  void loadgen.exited.then(() => (loadgenDone = true));
  void verifier.exited.then(() => (verifierDone = true));
  let interrupted = false;
  while (!verifierDone) {
    if (stopRequested && !interrupted) {
      interrupted = true;
      await loadgen.stop({ signal: 'SIGINT', graceMs: 30_000 });
      await verifier.stop({ signal: 'SIGINT', graceMs: 15_000 });
      break;
    }
    const at = Date.now();
    const view = new Map<
      string,
      { now: ServiceSample; before: ServiceSample | undefined; intervalMs: number }
    >();
    for (const name of SERVICES) {
      const now = await scrape(`http://127.0.0.1:${METRICS_PORTS[name]}/metrics`, options.topicPrefix);
      const before = previous.get(name);
      view.set(name, { now, before: before?.sample, intervalMs: before ? at - before.at : 0 });
      if (now.up) previous.set(name, { sample: now, at });
    }
    const phase = !loadgenDone ? 'generating' : 'draining done; verifier finishing';
    const text = renderView({
      elapsedMs: at - startedAt,
      phase,
      services: view,
      loadgen: loadgen.lastLine(),
      verifier: verifier.lastLine(),
      notes: infra.notes,
    });
    if (tty) {
      process.stdout.write(`${linesDrawn ? `\x1b[${linesDrawn}F\x1b[0J` : ''}${text}\n`);
      linesDrawn = text.split('\n').length;
    } else if (at - lastPrint >= 10_000) {
      console.log(`${text}\n`);
      lastPrint = at;
    }
    await sleep(2_000);
  }
  return interrupted ? 130 : exitCode(await verifier.exited);
}

async function finalSummary(code: number): Promise<void> {
  const servicesFinal: Record<string, unknown> = {};
  for (const name of SERVICES) {
    const s = await scrape(`http://127.0.0.1:${METRICS_PORTS[name]}/metrics`, options.topicPrefix);
    if (!s.up) continue;
    servicesFinal[name] = {
      state: s.state,
      recordsProcessed: s.processed,
      recordsSentByTopic: Object.fromEntries(s.sentByTopic),
      processLatencyP99Ms: quantileMs(s.latencyBuckets, undefined, 0.99),
      consumerLagRecords: s.lag,
      residentMemoryBytes: s.rssBytes,
      deadLetters: s.deadLetters,
      droppedRecords: s.dropped,
    };
  }
  let verifierReport: Record<string, unknown> | undefined;
  if (existsSync(verifierReportPath)) {
    const { readFile } = await import('node:fs/promises');
    verifierReport = JSON.parse(await readFile(verifierReportPath, 'utf8')) as Record<string, unknown>;
  }
  const summary = {
    options: { ...options, runDir },
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
    exitCode: code,
    brokers: infra?.brokers,
    infrastructure: infra?.notes,
    services: servicesFinal,
    verdict: verifierReport?.verdict ?? 'none',
    failures: verifierReport?.failures ?? [],
    topics: Array.isArray(verifierReport?.topics)
      ? (verifierReport.topics as Record<string, unknown>[]).map((t) => ({
          topic: t.topic,
          completeness: t.completeness,
          missing: t.missing,
          duplicates: t.duplicates,
          unexpected: t.unexpected,
          latencyMs: t.latencyMs,
        }))
      : [],
    endToEnd: verifierReport?.endToEnd,
    deadLetters: verifierReport?.deadLetters,
    files: { verifierReport: verifierReportPath, manifest: manifestPath, logs: logDir },
  };
  await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
}

async function shutdown(): Promise<void> {
  await loadgen?.stop({ signal: 'SIGINT', graceMs: 30_000 });
  await verifier?.stop({ signal: 'SIGINT', graceMs: 15_000 });
  // services commit and close on SIGTERM; in parallel, they are independent
  await Promise.all([...services.values()].map((s) => s.stop({ graceMs: 30_000 })));
  await infra?.stop();
}

let code = 1;
try {
  code = await run();
} catch (e) {
  console.error(`[demo] ${(e as Error).message}`);
  code = 1;
}
try {
  await finalSummary(code);
} catch (e) {
  console.error(`[demo] could not write the summary: ${(e as Error).message}`);
}
say('stopping the services' + (infra?.ownsBroker ? ' and the broker' : ''));
await shutdown();
if (existsSync(join(logDir, 'verifier.log'))) {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(join(logDir, 'verifier.log'), 'utf8');
  const at = text.lastIndexOf('verifier (outputs)');
  if (at >= 0) console.log(`\n${text.slice(at).trim()}\n`);
}
say(`report: ${verifierReportPath}`);
say(`summary: ${summaryPath}`);
process.exit(code);
