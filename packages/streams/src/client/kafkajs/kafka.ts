// first: kafkajs must load with the read_committed fix in place (see that package)
import '@streamtune/kafkajs-read-committed';
import { Kafka, logLevel, type logCreator } from 'kafkajs';
import type { StreamsConfig } from '../../config/schema';

/**
 * kafkajs logs every error response of every request, including the expected ones of a
 * rebalance ("The group is rebalancing"), which are handled a level up and reported
 * through events. Keep errors, minus those per-request echoes, one line each.
 */
const quietLogCreator: logCreator = () => (entry) => {
  const { message, error } = entry.log as { message: string; error?: string };
  if (message.startsWith('Response ')) return;
  console.error(
    `[kafkajs] ${entry.namespace ? `${entry.namespace}: ` : ''}${message}${error ? ` (${error})` : ''}`,
  );
};

export function createKafka(config: StreamsConfig): Kafka {
  const brokers =
    typeof config.bootstrapServers === 'string'
      ? config.bootstrapServers.split(',')
      : config.bootstrapServers;
  return new Kafka({
    clientId: config.clientId ?? config.applicationId,
    brokers: brokers.map((b) => b.trim()),
    logLevel: logLevel.ERROR,
    logCreator: quietLogCreator,
  });
}
