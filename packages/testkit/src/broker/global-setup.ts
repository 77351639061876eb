import { dockerEngineAnswers, startContainerBroker } from './container-broker';
import { startLocalBroker, type RunningBroker } from './local-broker';

/**
 * vitest global setup: one broker per test run. KAFKA_BROKERS wins; otherwise
 * testcontainers when a Docker engine answers, else the Maven-fetched local broker.
 * Workers are forked after this runs, so they inherit KAFKA_BROKERS.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.KAFKA_BROKERS) {
    console.log(`[testkit] using KAFKA_BROKERS=${process.env.KAFKA_BROKERS}`);
    return async () => {};
  }
  let broker: RunningBroker;
  if (await dockerEngineAnswers()) {
    broker = await startContainerBroker();
  } else {
    broker = await startLocalBroker();
  }
  console.log(`[testkit] started ${broker.describe}`);
  process.env.KAFKA_BROKERS = broker.bootstrap;
  return async () => {
    await broker.stop();
    console.log(`[testkit] stopped ${broker.describe}`);
  };
}
