import { existsSync } from 'node:fs';
import {
  ensurePrometheusInstalled,
  freePort,
  startLocalBroker,
  startProcess,
  TestPrometheus,
  TestTopics,
  waitForHttp,
  type ManagedProcess,
  type RunningBroker,
} from '@streamtune/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsFrom, type MetricSpec } from '../src/index';

/**
 * The catalog's node-exporter and broker (JMX exporter) entries are real: a Prometheus
 * that scrapes Debian's node-exporter and a broker started with the JMX exporter agent
 * and infra/kafka/jmx-exporter.yaml finds at least one series for each of them.
 */
const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

let broker: RunningBroker;
let nodeExporter: ManagedProcess | undefined;
let prometheus: TestPrometheus;
let topics: TestTopics;
const savedBrokers = process.env.KAFKA_BROKERS;

beforeAll(async () => {
  await ensurePrometheusInstalled(); // installs prometheus-node-exporter with it when missing
  if (!existsSync(NODE_EXPORTER))
    throw new Error(`${NODE_EXPORTER} missing: apt-get install prometheus-node-exporter`);
  const [jmxPort, nodePort] = [await freePort(), await freePort()];
  broker = await startLocalBroker({ jmxExporterPort: jmxPort });
  nodeExporter = startProcess({
    name: 'node-exporter',
    command: NODE_EXPORTER,
    args: [`--web.listen-address=127.0.0.1:${nodePort}`],
  });
  await waitForHttp(`http://127.0.0.1:${nodePort}/metrics`, { process: nodeExporter, timeoutMs: 30_000 });
  await waitForHttp(`http://127.0.0.1:${jmxPort}/metrics`, {
    what: 'the JMX exporter agent',
    timeoutMs: 30_000,
  });

  // Traffic, so the per-topic and per-request broker series exist.
  process.env.KAFKA_BROKERS = broker.bootstrap;
  topics = new TestTopics('jmx');
  const topic = topics.name('traffic');
  await topics.create(topic, 2);
  await topics.produce(
    topic,
    Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
  );
  await topics.consumeUntil(topic, (records) => records.length >= 50);

  // Every 5 s (so the scrape timeout is 5 s): a JMX scrape takes ~0.1 s on an idle machine,
  // but seconds when the two cores are busy with other tests, and a timed-out scrape
  // makes every series of the target stale.
  prometheus = await TestPrometheus.start(
    [
      { job: 'kafka', targets: [`127.0.0.1:${jmxPort}`] },
      { job: 'node', targets: [`127.0.0.1:${nodePort}`] },
    ],
    { scrapeIntervalS: 5 },
  );
  await prometheus.waitForTargetsUp();
  // waitForTargetsUp passes once every target scraped *so far* is up; wait for both jobs.
  const deadline = Date.now() + 30_000;
  while ((await prometheus.query('up == 1')).length < 2) {
    if (Date.now() > deadline)
      throw new Error(`targets not all up: ${JSON.stringify(await prometheus.query('up'))}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}, 240_000);

afterAll(async () => {
  await topics?.cleanup().catch(() => {});
  process.env.KAFKA_BROKERS = savedBrokers;
  await prometheus?.stop();
  await nodeExporter?.stop();
  await broker?.stop();
});

/** Series seen in the last minute: a single failed scrape (stale markers) does not hide a family. */
async function seriesOf(spec: MetricSpec): Promise<number> {
  const name = spec.type === 'summary' || spec.type === 'histogram' ? `${spec.name}_count` : spec.name;
  return (await prometheus.query(`count(last_over_time(${name}[1m]))`)).length;
}

describe('infrastructure metrics in the catalog', () => {
  it('every node-exporter entry has a series', async () => {
    const missing: string[] = [];
    for (const spec of metricsFrom('node-exporter'))
      if ((await seriesOf(spec)) === 0) missing.push(spec.name);
    expect(missing).toEqual([]);
  });

  it('every broker entry has a series from the JMX exporter agent', async () => {
    const missing: string[] = [];
    for (const spec of metricsFrom('kafka-jmx')) if ((await seriesOf(spec)) === 0) missing.push(spec.name);
    expect(missing).toEqual([]);
  });

  it('broker counters count the traffic the test produced', async () => {
    const [messagesIn] = await prometheus.query(
      'sum(last_over_time(kafka_server_brokertopicmetrics_messagesin_total{topic=~"jmx-traffic-.*"}[1m]))',
    );
    expect(Number(messagesIn?.value[1])).toBe(50);
    const produce = await prometheus.query(
      'last_over_time(kafka_network_requestmetrics_requests_total{request="Produce"}[1m])',
    );
    expect(produce.length).toBeGreaterThan(0);
    const [p99] = await prometheus.query(
      'last_over_time(kafka_network_requestmetrics_totaltime_seconds{request="Produce",quantile="0.99"}[1m])',
    );
    expect(Number(p99?.value[1])).toBeGreaterThanOrEqual(0);
  });
});
