// first: kafkajs must load with the read_committed fix in place (see that package)
import '@streamtune/kafkajs-read-committed';
import { execFileSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { pipelineTopicList, DEFAULT_PARTITIONS } from '@streamtune/reference-model';
import { freePort, portAnswers } from '@streamtune/testkit/harness';
import { ROOT } from './processes';

/**
 * The broker a benchmark uses: KAFKA_BROKERS when set, else the local one on 9092 when it
 * answers, else a broker of its own from infra/kafka/start.sh on a free port.
 */
export async function resolveBrokers(): Promise<string> {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS;
  if (await portAnswers(9092)) return '127.0.0.1:9092';
  const port = await freePort();
  console.error(`bench: no broker on 127.0.0.1:9092, starting one on ${port} (infra/kafka/start.sh)`);
  const out = execFileSync(`${ROOT}/infra/kafka/start.sh`, {
    env: { ...process.env, KAFKA_PORT: String(port) },
  });
  return out.toString().trim().split('\n').at(-1) ?? `127.0.0.1:${port}`;
}

export function kafka(brokers: string): Kafka {
  return new Kafka({ clientId: 'streamtune-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/** Creates a run's topics (services refuse to start without their sources, and stop on a missing output). */
export async function createPipelineTopics(
  brokers: string,
  prefix: string,
  partitions = DEFAULT_PARTITIONS,
): Promise<void> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    const wanted = pipelineTopicList(prefix);
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((n) => !existing.has(n));
    if (missing.length) {
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
        waitForLeaders: true,
      });
    }
    // a busy broker may answer metadata before every leader is in place; wait for all of them
    for (let attempt = 0; ; attempt++) {
      const { topics } = await admin.fetchTopicMetadata({ topics: wanted });
      const ready = topics.every(
        (t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0),
      );
      if (ready) break;
      if (attempt >= 30) throw new Error(`topics of ${prefix} have no leaders after 30 s`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every topic of a run (inputs, outputs, changelogs, repartitions) so the shared broker does not fill up. */
export async function deleteTopicsWithPrefix(brokers: string, prefix: string): Promise<number> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((n) => n.startsWith(`${prefix}.`));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 30_000 });
    return topics.length;
  } catch {
    return 0;
  } finally {
    await admin.disconnect();
  }
}

/** Topic configs (retention.ms, ...) of the run's changelog topics, for the record. */
export async function changelogConfigs(
  brokers: string,
  prefix: string,
): Promise<Record<string, Record<string, string>>> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    const names = (await admin.listTopics()).filter(
      (n) => n.startsWith(`${prefix}.`) && n.endsWith('-changelog'),
    );
    if (!names.length) return {};
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: names.map((name) => ({
        type: 2,
        name,
        configNames: ['retention.ms', 'cleanup.policy', 'segment.ms'],
      })),
    });
    return Object.fromEntries(
      resources.map((r) => [
        r.resourceName,
        Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])),
      ]),
    );
  } finally {
    await admin.disconnect();
  }
}
