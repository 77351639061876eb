import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseDuration } from '@streamtune/cli-kit';
import { readManifestHeader, type ServiceName } from '@streamtune/reference-model';
import { changelogConfigs, createPipelineTopics, deleteTopicsWithPrefix } from './broker';
import { capacityFigures, capacitySteps } from './capacity';
import {
  freePorts,
  parsePrometheusText,
  sumOf,
  waitForHttp,
  type ManagedProcess,
} from '@streamtune/testkit/harness';
import { ROOT, sleep, startTs } from './processes';
import { figuresFromReport, figuresFromSeries, type RunRecord } from './run-figures';
import { Sampler } from './sampler';
import { ServiceStarter } from './service-caps';
import type { LoadSpec, PipelineScenario, Variant } from './scenario-types';

/** The windows a run uses; the load generator's time scale must match (the scenarios set both). */
export function windowScaleOf(scenario: PipelineScenario, quick: boolean): number {
  return quick ? (scenario.quickWindowScale ?? scenario.windowScale) : scenario.windowScale;
}

/** HEAD, plus "+dirty" when the measured code (runtime, services, generator, verifier) has uncommitted changes. */
function codeRevision(): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages', 'apps'], { cwd: ROOT })
      .toString()
      .trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return undefined;
  }
}

const BENCH_TMP = process.env.BENCH_TMP ?? '/tmp/streamtune-bench';

/** Profiles for a variant: the app's files, plus one generated file when the variant overrides knobs. */
function profilesFor(service: ServiceName, variant: Variant, dir: string): { dir: string; profile: string } {
  const target = join(dir, 'profiles', service);
  mkdirSync(target, { recursive: true });
  cpSync(join(ROOT, 'apps', service, 'profiles'), target, { recursive: true });
  if (!variant.overrides) return { dir: target, profile: variant.profile };
  const name = `bench-${variant.name.replace(/[^a-zA-Z0-9-]/g, '-')}`;
  writeFileSync(
    join(target, `${name}.json`),
    JSON.stringify(
      { extends: variant.profile, description: `bench variant ${variant.name}`, ...variant.overrides },
      null,
      2,
    ),
  );
  return { dir: target, profile: name };
}

function loadArgs(load: LoadSpec, prefix: string, manifest: string): string[] {
  const args = [
    '--topic-prefix',
    prefix,
    '--manifest',
    manifest,
    '--progress',
    'false',
    '--create-topics',
    'false',
  ];
  if (load.rateSteps)
    args.push('--rate-steps', load.rateSteps.rates.join(','), '--step-duration', load.rateSteps.stepDuration);
  else if (load.orders) args.push('--orders', String(load.orders));
  else args.push('--duration', load.duration ?? '60s');
  args.push(
    '--rate',
    String(load.rate),
    '--record-size',
    String(load.recordSize),
    '--time-scale',
    String(load.timeScale),
  );
  args.push('--seed', load.seed ?? 'streamtune-bench');
  for (const [k, v] of Object.entries(load.extra ?? {})) args.push(`--${k}`, v);
  return args;
}

interface ServiceSlot {
  service: ServiceName;
  port: number;
  env: Record<string, string>;
  logPath: string;
  starter: ServiceStarter;
  child: ManagedProcess;
}

function startService(slot: Omit<ServiceSlot, 'child'>): ManagedProcess {
  return slot.starter.start(slot);
}

/**
 * One run of the reference pipeline (or some of its services) under one variant: fresh topic
 * prefix and state dir, services up and ready, then the verifier and the load generator; the
 * services are scraped every second until the verifier is done.
 */
export interface RunOptions {
  /** The services' bootstrap address when it differs from everyone else's (a delay proxy). */
  serviceBrokers?: string;
  /** The round-trip time that proxy adds, for the record. */
  rttMs?: number;
  /** Each service in a memory cgroup of this size; OOM kills are recorded. */
  memoryCapMb?: number;
}

export async function runPipeline(
  scenario: PipelineScenario,
  variant: Variant,
  round: number,
  brokers: string,
  quick: boolean,
  options: RunOptions = {},
): Promise<RunRecord> {
  const started = Date.now();
  const prefix =
    `bench-${scenario.name}-${variant.name}-${round}-${Math.random().toString(36).slice(2, 6)}`.replace(
      /[^a-zA-Z0-9.-]/g,
      '-',
    );
  const dir = join(BENCH_TMP, prefix);
  mkdirSync(dir, { recursive: true });
  const load = { ...scenario.load, ...(quick ? scenario.quickLoad : {}), ...variant.load };
  const windowScale = windowScaleOf(scenario, quick);
  const crashSpec = variant.crash ?? scenario.crash;
  const crash =
    crashSpec && quick && crashSpec.quickAfterMs !== undefined
      ? { ...crashSpec, afterMs: crashSpec.quickAfterMs }
      : crashSpec;
  const manifest = join(dir, 'manifest.jsonl');
  const reportPath = join(dir, 'verifier-report.json');
  const record: RunRecord = {
    variant: variant.name,
    round,
    prefix,
    startedAt: new Date(started).toISOString(),
    revision: codeRevision(),
    wallMs: 0,
    ok: false,
    figures: {
      // before anything of the run's own starts: whether other work kept the machine busy
      // (lessons.ts leaves a run out above 1.0; the services' own start-up would count here
      // if it were read after they are ready)
      loadAverage1mAtStart: loadavg()[0],
      ...(options.rttMs !== undefined ? { rttMs: options.rttMs } : {}),
    },
    perTopic: {},
    series: [],
  };
  const slots: ServiceSlot[] = [];
  const starter = new ServiceStarter(prefix, options.memoryCapMb);
  let sampler: Sampler | undefined;
  let loadgen: ManagedProcess | undefined;
  let verifier: ManagedProcess | undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await createPipelineTopics(brokers, prefix);
        break;
      } catch (err) {
        // "does not host this topic-partition" while a shared broker catches up with deletes/creates
        if (attempt >= 4) throw err;
        await sleep(3_000);
      }
    }
    const ports = await freePorts(scenario.services.length);
    scenario.services.forEach((service, i) => {
      const p = profilesFor(service, variant, dir);
      const env = {
        KAFKA_BROKERS: options.serviceBrokers ?? brokers,
        STREAMTUNE_PROFILE: p.profile,
        BENCH_PROFILES_DIR: p.dir,
        TOPIC_PREFIX: prefix,
        METRICS_PORT: String(ports[i]),
        STATE_DIR: join(dir, 'state'),
        INSTANCE: `${service}-1`,
        WINDOW_SCALE: String(windowScale),
      };
      const logPath = join(dir, `${service}.log`);
      slots.push({
        service,
        port: ports[i] as number,
        env,
        logPath,
        starter,
        child: startService({ service, port: ports[i] as number, env, logPath, starter }),
      });
    });
    record.figures.startupToReadyMs = await waitAllReady(slots);
    // the services' own start-up included: information, not the quiet test
    record.figures.loadAverage1mAtReady = loadavg()[0];

    // a capacity search also watches the load generator: whether it kept its schedule
    const loadgenPort = load.rateSteps ? (await freePorts(1))[0] : undefined;
    const t0 = Date.now();
    sampler = new Sampler(
      () => slots.map((s) => `http://127.0.0.1:${s.port}/metrics`),
      t0,
      1_000,
      loadgenPort ? `http://127.0.0.1:${loadgenPort}/metrics` : undefined,
    );
    sampler.start();
    verifier = startTs(
      'verifier',
      join(ROOT, 'apps/verifier/src/main.ts'),
      [
        '--manifest',
        manifest,
        '--topic-prefix',
        prefix,
        '--topics',
        scenario.topics.join(','),
        '--report',
        reportPath,
        '--progress',
        'false',
        '--idle-timeout',
        scenario.idleTimeout ?? '20s',
        '--timeout',
        scenario.timeout ?? '6m',
      ],
      { KAFKA_BROKERS: brokers },
      join(dir, 'verifier.log'),
    );
    loadgen = startTs(
      'loadgen',
      join(ROOT, 'apps/loadgen/src/main.ts'),
      [...loadArgs(load, prefix, manifest), ...(loadgenPort ? ['--metrics-port', String(loadgenPort)] : [])],
      { KAFKA_BROKERS: brokers },
      join(dir, 'loadgen.log'),
    );

    if (crash) record.crash = await crashAndRestart(crash, slots, sampler, t0);

    // a service that dies mid-run (killed for memory under a cap) is part of the result
    for (const slot of slots) {
      const child = slot.child;
      void child.exited.then((e) => {
        const killedForMemory = e.signal === 'SIGKILL' && (starter.figures().oomKills ?? 0) > 0;
        if (killedForMemory && record.figures.oomKilledAtS === undefined)
          record.figures.oomKilledAtS = (Date.now() - t0) / 1000;
      });
    }
    const lg = await loadgen.exited;
    record.figures.loadgenExit = lg.code ?? -1;
    record.figures.loadMs = Date.now() - t0;
    const vr = await verifier.exited;
    record.figures.verifierExit = vr.code ?? -1;
    record.figures.loadAverage1mAtEnd = loadavg()[0];
    await sampler.stop();
    if (scenario.recordChangelogs) record.changelogs = await changelogConfigs(brokers, prefix);
    if (!existsSync(reportPath))
      throw new Error(`verifier wrote no report (exit ${vr.code}; log ${join(dir, 'verifier.log')})`);
    Object.assign(
      record,
      figuresFromReport(JSON.parse(readFileSync(reportPath, 'utf8')), scenario.topics, record),
    );
    Object.assign(record.figures, figuresFromSeries(sampler.points));
    if (load.rateSteps) {
      const stepMs = parseDuration(load.rateSteps.stepDuration);
      // the steps count from the load generator's start (its manifest header), not the sampler's
      const header = await readManifestHeader(manifest);
      if (!header) throw new Error(`no manifest header in ${manifest}`);
      const loadStartS = (header.startedAt - t0) / 1000;
      record.capacity = capacitySteps(
        sampler.points,
        scenario.services,
        load.rateSteps.rates,
        stepMs,
        loadStartS,
      );
      Object.assign(record.figures, capacityFigures(record.capacity, scenario.services));
    }
    record.series = downsample(sampler.points, 120).map((p) => ({
      t: round1(p.t),
      rssBytes: p.rssBytes,
      heapUsedBytes: p.heapUsedBytes,
      nativeBytes: p.nativeBytes,
      storeMemoryBytes: p.storeMemoryBytes,
      storeInstances: p.storeInstances,
      recordsProcessed: p.recordsProcessed,
    }));
    record.ok = true;
  } catch (err) {
    record.error = (err as Error).message;
  } finally {
    await sampler?.stop();
    for (const c of [loadgen, verifier]) if (c) await c.stop({ graceMs: 5_000 });
    await Promise.all(slots.map((s) => s.child.stop()));
    Object.assign(record.figures, starter.figures());
    starter.remove();
    await deleteTopicsWithPrefix(brokers, prefix).catch(() => 0);
    if (!process.env.BENCH_KEEP) rmSync(join(dir, 'state'), { recursive: true, force: true });
    record.wallMs = Date.now() - started;
  }
  return record;
}

/**
 * Waits until every service is ready. A service that dies on start is started again (twice
 * at most): on a busy shared broker, freshly created internal topics sometimes answer "does
 * not host this topic-partition" for a moment, and the runtime gives up on that at start.
 */
async function waitAllReady(slots: ServiceSlot[]): Promise<number> {
  const started = Date.now();
  await Promise.all(
    slots.map(async (slot) => {
      for (let attempt = 1; ; attempt++) {
        try {
          await waitForHttp(`http://127.0.0.1:${slot.port}/readyz`, {
            timeoutMs: 180_000,
            process: slot.child,
            pollMs: 100,
          });
          return;
        } catch (err) {
          if (attempt >= 3 || slot.child.running) throw err;
          console.error(`  ${slot.service} exited on start (attempt ${attempt}); starting it again`);
          await sleep(3_000);
          slot.child = startService(slot);
        }
      }
    }),
  );
  return Date.now() - started;
}

/** SIGKILL one service mid-run, start it again on the same state dir, and time its way back. */
async function crashAndRestart(
  crash: NonNullable<PipelineScenario['crash']>,
  slots: ServiceSlot[],
  sampler: Sampler,
  t0: number,
): Promise<Record<string, number | undefined>> {
  const slot = slots.find((s) => s.service === crash.service);
  if (!slot) throw new Error(`crash: service ${crash.service} is not part of the run`);
  await sleep(Math.max(0, crash.afterMs - (Date.now() - t0)));
  const url = `http://127.0.0.1:${slot.port}`;
  await slot.child.kill();
  const killedAt = Date.now();
  sampler.resetService(`${url}/metrics`);
  slot.child = startService(slot);
  const toMetrics = await waitForHttp(`${url}/metrics`, {
    timeoutMs: 120_000,
    process: slot.child,
    pollMs: 50,
  });
  const toReady = await waitForHttp(`${url}/readyz`, {
    timeoutMs: 300_000,
    process: slot.child,
    pollMs: 100,
  });
  const after = await fetch(`${url}/metrics`).then((r) => r.text());
  const s = parsePrometheusText(after);
  const restoreSum = sumOf(s, 'streamtune_restore_duration_seconds_sum');
  const restoreCount = sumOf(s, 'streamtune_restore_duration_seconds_count');
  const rebalanceSum = sumOf(s, 'streamtune_consumer_rebalance_duration_seconds_sum');
  return {
    killedAtS: (killedAt - t0) / 1000,
    restartToMetricsMs: toMetrics,
    restartToReadyMs: toMetrics + toReady,
    restoredRecords: sumOf(s, 'streamtune_restore_records_total'),
    restoreSecondsSum: restoreSum,
    restores: restoreCount,
    rebalanceSecondsSum: rebalanceSum,
  };
}

function downsample<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  const step = xs.length / n;
  return Array.from({ length: n }, (_, i) => xs[Math.floor(i * step)] as T).concat([xs.at(-1) as T]);
}

const round1 = (v: number) => Math.round(v * 10) / 10;
