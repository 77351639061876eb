import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JoinWindows,
  KafkaStreams,
  Serdes,
  StreamsBuilder,
  type StreamsEventName,
  type StreamsState,
} from '@streamtune/streams';
import { kafkaBrokers, TestPrometheus, TestTopics } from '@streamtune/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServiceMetrics,
  instrumentStreams,
  metricsFrom,
  type MetricSpec,
  type ServiceMetrics,
} from '../src/index';

/**
 * A windowed join on the real broker, a real Prometheus scraping the service, and every
 * family of the catalog that the service exposes shows up and moves. The run has two
 * lives: the first processes records (with a bad record and a null key among them),
 * the second starts on an empty state directory, so it restores the join stores from
 * their changelogs before it processes more.
 */
const SERVICE = 'metrics-int';
const topics = new TestTopics('metrics');
const left = topics.name('left');
const right = topics.name('right');
const output = topics.name('out');
const appId = topics.name('app');
const stateDirs: string[] = [];
let metrics: ServiceMetrics;
let prometheus: TestPrometheus;
let current: KafkaStreams | undefined;

function topology() {
  const builder = new StreamsBuilder();
  const orders = builder.stream<string, { n: number }>(left, { valueSerde: Serdes.json<{ n: number }>() });
  const payments = builder.stream<string, string>(right);
  orders
    .join(
      payments,
      (order, payment) => `${order.n}:${payment}`,
      JoinWindows.ofTimeDifferenceAndGrace(60_000, 5_000),
      {
        name: 'pay',
        storeName: 'pay',
      },
    )
    .to(output);
  return builder.build();
}

function newStreams(): KafkaStreams {
  const stateDir = mkdtempSync(join(tmpdir(), 'metrics-int-'));
  stateDirs.push(stateDir);
  const streams = new KafkaStreams(topology(), {
    applicationId: appId,
    bootstrapServers: kafkaBrokers(),
    commitIntervalMs: 200,
    storeStatsIntervalMs: 300,
    stateDir,
    deserializationExceptionHandler: 'logAndContinue',
    consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, maxPollIntervalMs: 20_000 },
  });
  instrumentStreams(metrics, streams);
  return streams;
}

function waitFor(
  streams: KafkaStreams,
  name: StreamsEventName,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
    const off = streams.events.on(name, () => {
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

function waitForState(streams: KafkaStreams, state: StreamsState): Promise<void> {
  if (streams.state() === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`state ${state} not reached (now ${streams.state()})`)),
      60_000,
    );
    const off = streams.events.on('state.change', ({ to }) => {
      if (to === state || to === 'ERROR') {
        clearTimeout(timer);
        off();
        if (to === state) resolve();
        else reject(streams.error() ?? new Error('ERROR'));
      }
    });
  });
}

let wave = 0;
async function produceWave(count: number): Promise<void> {
  const base = wave++ * count;
  const now = Date.now();
  const keys = Array.from({ length: count }, (_, i) => `k${base + i}`);
  await topics.produce(
    left,
    keys.map((key, i) => ({ key, value: JSON.stringify({ n: base + i }), partition: i % 2, timestamp: now })),
  );
  await topics.produce(
    right,
    keys.map((key, i) => ({ key, value: `paid${base + i}`, partition: i % 2, timestamp: now })),
  );
}

async function promValue(query: string): Promise<number> {
  const result = await prometheus.query(query);
  return result.reduce((sum, s) => sum + Number(s.value[1]), 0);
}

/** Series name a query uses for a family: histograms by their _count. */
const seriesName = (spec: MetricSpec) => (spec.type === 'histogram' ? `${spec.name}_count` : spec.name);

async function missingFamilies(specs: MetricSpec[]): Promise<string[]> {
  const missing: string[] = [];
  for (const spec of specs) {
    const series = await prometheus.query(`${seriesName(spec)}{service="${SERVICE}"}`);
    if (series.length === 0) missing.push(spec.name);
  }
  return missing;
}

async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    value = await probe();
  }
  return value;
}

beforeAll(async () => {
  await topics.create([left, right, output], 2);
  topics.own(
    `${appId}-dead-letters`,
    `${appId}-pay-this-join-store-changelog`,
    `${appId}-pay-other-join-store-changelog`,
  );
  metrics = await createServiceMetrics({ service: SERVICE, instance: 'int-1', port: 0, host: '127.0.0.1' });
  prometheus = await TestPrometheus.start([{ job: 'streamtune', targets: [`127.0.0.1:${metrics.port}`] }]);
  await prometheus.waitForTargetsUp();
}, 120_000);

afterAll(async () => {
  await current?.close();
  await prometheus?.stop();
  await metrics?.close();
  const admin = await topics.admin().catch(() => undefined);
  await admin?.deleteGroups([appId]).catch(() => undefined);
  await topics.cleanup();
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

describe('metrics of a running topology, scraped by Prometheus', () => {
  it('every service family has a series and the counters move while records flow', async () => {
    // First life: records flow, plus one undeserializable record and one null key.
    current = newStreams();
    expect((await fetch(`${metrics.url}/readyz`)).status).toBe(503);
    await current.start();
    await waitForState(current, 'RUNNING');
    await produceWave(40);
    await topics.produce(left, [
      { key: 'bad', value: '{not json', partition: 0 },
      { key: null, value: JSON.stringify({ n: -1 }), partition: 1 },
    ]);
    await topics.consumeUntil(output, (r) => r.length >= 40);
    const processedBefore = await eventually(
      () => promValue(`sum(streamtune_records_processed_total{service="${SERVICE}"})`),
      (v) => v >= 80,
    );
    expect(processedBefore).toBeGreaterThanOrEqual(80);
    await produceWave(40);
    await topics.consumeUntil(output, (r) => r.length >= 80);
    const processedAfter = await eventually(
      () => promValue(`sum(streamtune_records_processed_total{service="${SERVICE}"})`),
      (v) => v >= processedBefore + 80,
    );
    expect(processedAfter).toBeGreaterThanOrEqual(processedBefore + 80);
    expect((await fetch(`${metrics.url}/readyz`)).status).toBe(200);
    await current.close();

    // Second life: an empty state directory, so the join stores restore from their changelogs.
    current = newStreams();
    const restored = waitFor(current, 'restore.end', 'restore');
    await current.start();
    await restored;
    await waitForState(current, 'RUNNING');
    await produceWave(40);
    await topics.consumeUntil(output, (r) => r.length >= 120);

    const fromService = [...metricsFrom('streams'), ...metricsFrom('runtime')].filter(
      (s) => !s.emptyWhenIdle,
    );
    const missing = await eventually(
      () => missingFamilies(fromService),
      (m) => m.length === 0,
    );
    expect(missing).toEqual([]);

    // Every streams counter and histogram has counted something.
    const still: string[] = [];
    for (const spec of metricsFrom('streams').filter((s) => s.type !== 'gauge' && !s.countsOnlyWhen)) {
      if ((await promValue(`sum(${seriesName(spec)}{service="${SERVICE}"})`)) <= 0) still.push(spec.name);
    }
    expect(still).toEqual([]);
    expect(
      await promValue(`sum(streamtune_dead_letters_total{service="${SERVICE}",reason="deserialization"})`),
    ).toBe(1);
    expect(
      await promValue(
        `sum(streamtune_dropped_records_total{service="${SERVICE}",reason="null-key-or-value"})`,
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await promValue(`sum(streamtune_restore_records_total{service="${SERVICE}"})`),
    ).toBeGreaterThanOrEqual(80);
    expect(await promValue(`streamtune_state{service="${SERVICE}",state="RUNNING"}`)).toBe(1);

    // The exposition of a real run passes promtool's linter too.
    const exposition = await (await fetch(`${metrics.url}/metrics`)).text();
    const lint = await new Promise<string>((resolve) => {
      const child = execFile('/usr/bin/promtool', ['check', 'metrics'], (error, stdout, stderr) =>
        resolve(error ? `exit ${String(error.code)}: ${stdout}${stderr}` : `${stdout}${stderr}`),
      );
      child.stdin?.end(exposition);
    });
    expect(lint).toBe('');
  });
});
