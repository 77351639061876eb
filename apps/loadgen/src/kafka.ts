// first: kafkajs must load with the read_committed fix in place (see that package)
import '@streamtune/kafkajs-read-committed';
import { Kafka, logLevel, Partitioners, type Admin, type Producer, type CompressionTypes } from 'kafkajs';

export interface KafkaTarget {
  brokers: string[];
  verbose: boolean;
}

/** The one-line message for a broker that does not answer, with what to do about it. */
export function unreachableMessage(brokers: string[], err: unknown): string {
  const reason = err instanceof Error ? err.message : String(err);
  return (
    `cannot reach Kafka at ${brokers.join(',')} (${reason}); ` +
    'start the local broker with "npm run kafka:start" or point KAFKA_BROKERS / --brokers at a running one'
  );
}

export function createKafka(clientId: string, target: KafkaTarget): Kafka {
  return new Kafka({
    clientId,
    brokers: target.brokers,
    // fail fast with one clear line instead of a minute of retries and stack traces
    connectionTimeout: 10_000,
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 3_000 },
    logLevel: target.verbose ? logLevel.WARN : logLevel.NOTHING,
  });
}

/** Creates the topics that do not exist yet; returns the ones it created. */
export async function ensureTopics(admin: Admin, topics: string[], partitions: number): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length) {
    try {
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
        waitForLeaders: true,
        // a busy broker (or machine) takes longer than kafkajs' 5 s default
        timeout: 30_000,
      });
    } catch (err) {
      // another process (a service, a second generator) may have created some of them meanwhile
      const left = new Set(await admin.listTopics());
      if (missing.some((t) => !left.has(t))) throw err;
    }
  }
  return missing;
}

export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    allowAutoTopicCreation: false,
    // the Java client's murmur2 partitioning: the services' tasks see the same key on the same partition number
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

export type { CompressionTypes };
