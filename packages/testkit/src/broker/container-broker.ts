import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { kafkaVersion } from './kafka-version';
import type { RunningBroker } from './local-broker';

const run = promisify(execFile);

/** The image of the default Kafka version; startContainerBroker() follows KAFKA_VERSION. */
export const KAFKA_IMAGE = `apache/kafka:${kafkaVersion({})}`;

/** True when a Docker engine answers (the client alone is not enough). */
export async function dockerEngineAnswers(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** A KRaft broker from testcontainers' Kafka module, for machines with Docker. */
export async function startContainerBroker(): Promise<RunningBroker> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const image = `apache/kafka:${kafkaVersion()}`;
  const container = await new KafkaContainer(image)
    .withKraft()
    .withEnvironment({
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .start();
  const bootstrap = `${container.getHost()}:${container.getMappedPort(9093)}`;
  return {
    bootstrap,
    describe: `container ${image} at ${bootstrap}`,
    stop: async () => {
      await container.stop();
    },
  };
}
