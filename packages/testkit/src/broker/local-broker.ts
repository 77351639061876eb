import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePortPair } from '../harness/ports';
import { repoRoot } from '../repo-root';
import { kafkaVersion } from './kafka-version';

const run = promisify(execFile);

export interface RunningBroker {
  bootstrap: string;
  /** Where the broker's log is, for error messages. */
  describe: string;
  stop(): Promise<void>;
  /** Stops the broker and starts it again on the same port and data (a broker restart). */
  restart?(downMs?: number): Promise<void>;
}

export interface LocalBrokerOptions {
  port?: number;
  runDir?: string;
  /** Serve the broker's JMX metrics for Prometheus on this port. */
  jmxExporterPort?: number;
}

/** Starts Apache Kafka from infra/kafka (Maven Central jars, KRaft) on 127.0.0.1. */
export async function startLocalBroker(options: LocalBrokerOptions = {}): Promise<RunningBroker> {
  const root = repoRoot();
  const port = options.port ?? (await freePortPair());
  const runDir = options.runDir ?? mkdtempSync(join(tmpdir(), 'streamtune-kafka-'));
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_RUN_DIR: runDir,
    KAFKA_VERSION: kafkaVersion(),
    ...(options.jmxExporterPort ? { KAFKA_JMX_EXPORTER_PORT: String(options.jmxExporterPort) } : {}),
  };
  const { stdout } = await run(join(root, 'infra/kafka/start.sh'), { env, maxBuffer: 16 << 20 }).catch(
    (error: { stderr?: string; message: string }) => {
      throw new Error(
        `testkit: the local Kafka broker did not start: ${error.stderr?.trim() || error.message}`,
      );
    },
  );
  const bootstrap = stdout.trim().split('\n').at(-1) ?? `127.0.0.1:${port}`;
  return {
    bootstrap,
    describe: `local Kafka ${kafkaVersion()} broker ${bootstrap} (log: ${runDir}/server.log)`,
    stop: async () => {
      await run(join(root, 'infra/kafka/stop.sh'), { env });
    },
    restart: async (downMs = 0) => {
      await run(join(root, 'infra/kafka/stop.sh'), { env });
      await new Promise((r) => setTimeout(r, downMs));
      await run(join(root, 'infra/kafka/start.sh'), {
        env: { ...env, KAFKA_KEEP_DATA: '1' },
        maxBuffer: 16 << 20,
      });
    },
  };
}
