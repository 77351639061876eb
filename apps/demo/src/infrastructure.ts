import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DemoOptions } from './options';
import {
  describeExit,
  portAnswers,
  sleep,
  startProcess,
  type ManagedProcess,
} from '@streamtune/testkit/harness';

const exec = promisify(execFile);

export interface Infrastructure {
  brokers: string;
  /** True when the demo started the broker (and stops it at the end). */
  ownsBroker: boolean;
  /** One line per component: what runs where, or why it does not. */
  notes: string[];
  /** The Prometheus scraping the run, when one runs (started here, or found on its port). */
  prometheusUrl: string | undefined;
  stop(): Promise<void>;
}

const PROMETHEUS_PORT = 9090;
const NODE_EXPORTER_PORT = 9100;
const JMX_EXPORTER_PORT = 9404;

function which(names: string[]): string | undefined {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin']);
  for (const name of names) for (const d of dirs) if (existsSync(join(d, name))) return join(d, name);
  return undefined;
}

/**
 * The broker (KAFKA_BROKERS, a broker already on 127.0.0.1:9092, or infra/kafka/start.sh with
 * the JMX exporter on 9404), Prometheus with infra/prometheus/prometheus.local.yml and
 * node-exporter when installed. Ports match prometheus.local.yml.
 */
export async function startInfrastructure(
  options: DemoOptions,
  ctx: { root: string; runDir: string; logDir: string; say: (line: string) => void },
): Promise<Infrastructure> {
  const notes: string[] = [];
  const children: ManagedProcess[] = [];
  let brokers = process.env.KAFKA_BROKERS;
  let ownsBroker = false;
  let prometheusUrl: string | undefined;
  if (brokers) {
    notes.push(`broker: ${brokers} (KAFKA_BROKERS)`);
  } else if (await portAnswers(9092)) {
    brokers = '127.0.0.1:9092';
    notes.push('broker: 127.0.0.1:9092 (already running; not started or stopped by the demo)');
  } else {
    ctx.say('starting the local broker (infra/kafka/start.sh; the first run fetches Kafka jars with Maven)');
    try {
      const { stdout } = await exec(join(ctx.root, 'infra/kafka/start.sh'), [], {
        cwd: ctx.root,
        env: { ...process.env, KAFKA_JMX_EXPORTER_PORT: String(JMX_EXPORTER_PORT) },
        timeout: 600_000,
      });
      brokers = stdout.trim().split('\n').at(-1) || '127.0.0.1:9092';
      ownsBroker = true;
      notes.push(`broker: ${brokers} (infra/kafka/start.sh, JMX exporter on :${JMX_EXPORTER_PORT})`);
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`could not start the broker: ${(err.stderr ?? err.message).trim()}`);
    }
  }

  if (!options.prometheus) {
    notes.push('prometheus: off (--prometheus false)');
  } else {
    const prometheus = which(['prometheus']);
    if (!prometheus) {
      notes.push(
        'prometheus: not installed (Debian: apt-get install prometheus); live view scrapes /metrics itself',
      );
    } else if (await portAnswers(PROMETHEUS_PORT)) {
      notes.push(
        `prometheus: port ${PROMETHEUS_PORT} taken; assuming it is a Prometheus scraping the same targets`,
      );
      prometheusUrl = `http://127.0.0.1:${PROMETHEUS_PORT}`;
    } else {
      const dataDir = join(ctx.runDir, 'prometheus');
      mkdirSync(dataDir, { recursive: true });
      children.push(
        startProcess({
          name: 'prometheus',
          command: prometheus,
          args: [
            `--config.file=${join(ctx.root, 'infra/prometheus/prometheus.local.yml')}`,
            `--storage.tsdb.path=${dataDir}`,
            `--web.listen-address=127.0.0.1:${PROMETHEUS_PORT}`,
          ],
          cwd: ctx.root,
          logPath: join(ctx.logDir, 'prometheus.log'),
          group: true,
        }),
      );
      notes.push(`prometheus: http://127.0.0.1:${PROMETHEUS_PORT} (infra/prometheus/prometheus.local.yml)`);
      prometheusUrl = `http://127.0.0.1:${PROMETHEUS_PORT}`;
    }
    const nodeExporter = which(['prometheus-node-exporter', 'node_exporter']);
    if (!nodeExporter) {
      notes.push(
        'node-exporter: not installed (Debian: apt-get install prometheus-node-exporter); no host metrics',
      );
    } else if (await portAnswers(NODE_EXPORTER_PORT)) {
      notes.push(`node-exporter: port ${NODE_EXPORTER_PORT} already answers; using it`);
    } else {
      children.push(
        startProcess({
          name: 'node-exporter',
          command: nodeExporter,
          args: [`--web.listen-address=127.0.0.1:${NODE_EXPORTER_PORT}`],
          cwd: ctx.root,
          logPath: join(ctx.logDir, 'node-exporter.log'),
          group: true,
        }),
      );
      notes.push(`node-exporter: http://127.0.0.1:${NODE_EXPORTER_PORT}/metrics`);
    }
    if (!ownsBroker) {
      notes.push(
        (await portAnswers(JMX_EXPORTER_PORT))
          ? `broker JMX exporter: :${JMX_EXPORTER_PORT}`
          : `broker JMX exporter: none on :${JMX_EXPORTER_PORT} (start the broker with KAFKA_JMX_EXPORTER_PORT=${JMX_EXPORTER_PORT} npm run kafka:start)`,
      );
    }
  }
  // give the exporters a moment, so a failure to start shows up in the notes
  await sleep(children.length ? 1_000 : 0);
  for (const c of children) {
    if (c.exitStatus)
      notes.push(`${c.name}: exited at start (${describeExit(c.exitStatus)}); see ${c.logPath}`);
  }
  return {
    brokers: brokers!,
    ownsBroker,
    notes,
    prometheusUrl,
    async stop() {
      await Promise.all(children.map((c) => c.stop({ graceMs: 10_000 })));
      if (ownsBroker)
        await exec(join(ctx.root, 'infra/kafka/stop.sh'), [], { cwd: ctx.root }).catch(() => undefined);
    },
  };
}
