import { Kafka, logLevel } from 'kafkajs';
import type { StreamsConfig } from '../../config/schema';

export function createKafka(config: StreamsConfig): Kafka {
  const brokers =
    typeof config.bootstrapServers === 'string'
      ? config.bootstrapServers.split(',')
      : config.bootstrapServers;
  return new Kafka({
    clientId: config.clientId ?? config.applicationId,
    brokers: brokers.map((b) => b.trim()),
    // kafkajs logs every rebalance as a warning; the runtime reports those through events
    logLevel: logLevel.ERROR,
  });
}
