import type { StreamsConfig } from '../../config/schema';
import type { StreamsEvents } from '../../observability/events';
import { BatchingProducer } from '../batching-producer/index';
import { KafkajsChangelogReader } from '../kafkajs-changelog-reader';
import type { ClientFactory } from '../ports';
import { KafkajsAdmin } from './admin';
import { KafkajsConsumer } from './consumer';
import { createKafka, transactionalRetry } from './kafka';

/** The runtime's clients on kafkajs: consumer, the batching producer, admin. */
export function kafkajsClients(config: StreamsConfig, events: StreamsEvents): ClientFactory {
  const kafka = createKafka(config);
  const transactionalKafka = createKafka(config, transactionalRetry(config));
  return {
    consumer: ({ groupId, taskKeyOf }) => new KafkajsConsumer(kafka, config, groupId, taskKeyOf),
    producer: () =>
      new BatchingProducer(kafka, config.producer, events, {
        clientId: config.clientId ?? config.applicationId,
      }),
    transactionalProducer: (transactionalId) =>
      new BatchingProducer(transactionalKafka, config.producer, events, {
        clientId: `${config.clientId ?? config.applicationId}-${transactionalId}`,
        transactionalId,
      }),
    admin: () => new KafkajsAdmin(kafka),
    changelogReader: () => new KafkajsChangelogReader(kafka, `${config.applicationId}-restore`),
  };
}
