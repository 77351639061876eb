import { join } from 'node:path';

/**
 * The Apache Kafka version tests run against: 4.x by default, 3.9 as the supported second
 * line. `KAFKA_VERSION` picks it, for the local broker (infra/kafka/start.sh, which keeps the
 * same default) and the container image alike.
 */
export const DEFAULT_KAFKA_VERSION = '4.4.0';

export function kafkaVersion(env: NodeJS.ProcessEnv = process.env): string {
  return env.KAFKA_VERSION || DEFAULT_KAFKA_VERSION;
}

/** Where infra/kafka/start.sh keeps a version's jars (the default version's in target/lib). */
export function kafkaLibDir(root: string, version = kafkaVersion()): string {
  const dir = version === DEFAULT_KAFKA_VERSION ? 'lib' : `lib-${version}`;
  return join(root, 'infra', 'kafka', 'target', dir);
}
