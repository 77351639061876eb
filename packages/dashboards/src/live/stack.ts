import { existsSync } from 'node:fs';
import {
  ensurePrometheusInstalled,
  freePort,
  startLocalBroker,
  startProcess,
  waitForHttp,
  TestPrometheus,
  type RunningBroker,
} from '@streamtune/testkit';
import { runShortPipeline, type PipelineSummary, type ShortPipelineOptions } from './pipeline';

/**
 * Everything the dashboards read, for real and on this machine: a broker with the JMX
 * exporter agent, Debian's node-exporter, the short pipeline's services, and a Prometheus
 * scraping them under the job names of infra/prometheus/prometheus.yml.
 *
 * The broker is a dedicated one (startLocalBroker with jmxExporterPort), not the shared
 * test broker: the shared one runs without the JMX agent, and the broker dashboard needs it.
 */

const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
export const SCRAPE_INTERVAL_S = 2;

export interface LiveStack {
  prometheus: TestPrometheus;
  summary: PipelineSummary;
  /** Unix seconds: the traffic phase, which range queries cover. */
  startedAt: number;
  endedAt: number;
  stop(): Promise<void>;
}

export interface LiveStackOptions extends ShortPipelineOptions {
  durationMs?: number;
}

async function waitForUp(prometheus: TestPrometheus, selector: string, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const up = await prometheus.query(`up{${selector}} == 1`);
    if (up.length >= count) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Prometheus does not scrape ${selector} successfully`);
}

export async function startLiveStack(options: LiveStackOptions = {}): Promise<LiveStack> {
  const log = options.log ?? (() => {});
  await ensurePrometheusInstalled(); // brings prometheus-node-exporter along when it installs
  if (!existsSync(NODE_EXPORTER))
    throw new Error(`${NODE_EXPORTER} is missing: apt-get install prometheus-node-exporter`);

  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const [jmxPort, nodePort] = [await freePort(), await freePort()];
    log('starting a broker with the JMX exporter agent');
    const broker: RunningBroker = await startLocalBroker({ jmxExporterPort: jmxPort });
    cleanups.push(() => broker.stop());
    const savedBrokers = process.env.KAFKA_BROKERS;
    process.env.KAFKA_BROKERS = broker.bootstrap;
    cleanups.push(async () => {
      if (savedBrokers === undefined) delete process.env.KAFKA_BROKERS;
      else process.env.KAFKA_BROKERS = savedBrokers;
    });

    const nodeExporter = startProcess({
      name: 'node-exporter',
      command: NODE_EXPORTER,
      args: [`--web.listen-address=127.0.0.1:${nodePort}`],
    });
    cleanups.push(async () => void (await nodeExporter.stop()));
    await waitForHttp(`http://127.0.0.1:${nodePort}/metrics`, { what: 'node-exporter', timeoutMs: 30_000 });
    await waitForHttp(`http://127.0.0.1:${jmxPort}/metrics`, {
      what: 'the JMX exporter agent',
      timeoutMs: 30_000,
    });

    const pipeline = await runShortPipeline(options);
    cleanups.push(() => pipeline.close());

    // Job names as in infra/prometheus/prometheus.yml, so job-scoped queries mean the same.
    // A 2 s interval (and so a 2 s scrape timeout): a busy broker's JMX scrape can take over 1 s.
    const prometheus = await TestPrometheus.start(
      [
        { job: 'streamtune', targets: pipeline.metricsTargets },
        { job: 'node', targets: [`127.0.0.1:${nodePort}`] },
        { job: 'kafka', targets: [`127.0.0.1:${jmxPort}`] },
      ],
      { scrapeIntervalS: SCRAPE_INTERVAL_S },
    );
    cleanups.push(() => prometheus.stop());
    // The exporters now; the services' targets come up as drive() starts them.
    await waitForUp(prometheus, 'job=~"node|kafka"', 2);

    const startedAt = Date.now() / 1000;
    log('driving the short pipeline');
    const summary = await pipeline.drive(options.durationMs ?? 40_000);
    const endedAt = Date.now() / 1000;
    log(`pipeline summary: ${JSON.stringify(summary)}`);
    return { prometheus, summary, startedAt, endedAt, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
