import { join } from 'node:path';
import { createServiceMetrics, instrumentStreams } from '@streamtune/metrics';
import {
  DEFAULT_JOIN_WINDOWS,
  pipelineTopics,
  scaleJoinWindows,
  topicName,
  type JoinWindows,
  type ServiceName,
} from '@streamtune/reference-model';
import { KafkaStreams, type StreamsConfigInput, type Topology } from '@streamtune/streams';
import { readEnvironment, type ServiceEnvironment } from './environment';
import { applyProfileOverrides, loadProfile, type Profile } from './profile';

/** Metrics ports of the pipeline's apps: the same locally, in compose and in infra/prometheus. */
export const METRICS_PORTS = {
  checkout: 9464,
  fulfillment: 9465,
  marketing: 9466,
  loadgen: 9467,
  verifier: 9468,
} as const;

export interface TopologyContext {
  topics: ReturnType<typeof pipelineTopics>;
  windows: JoinWindows;
}

export interface ServiceDefinition {
  service: ServiceName;
  /** The app's `profiles/` folder. */
  profilesDir: string;
  topology(context: TopologyContext): Topology;
}

export interface RunningService {
  streams: KafkaStreams;
  profile: Profile;
  metricsUrl: string;
  stop(): Promise<void>;
}

/** A service's application id (its consumer group, and the prefix of its internal topics). */
export function applicationIdOf(service: string, topicPrefix = ''): string {
  return topicName(`streamtune-${service}`, topicPrefix);
}

/** The service's streams config: the profile's knobs over what every service shares. */
export function serviceConfig(
  definition: ServiceDefinition,
  env: ServiceEnvironment,
  profile: Profile,
): StreamsConfigInput {
  const topics = pipelineTopics(env.TOPIC_PREFIX);
  const { name: _name, chain: _chain, description: _description, ...knobs } = profile;
  return {
    applicationId: applicationIdOf(definition.service, env.TOPIC_PREFIX),
    bootstrapServers: env.KAFKA_BROKERS.split(','),
    clientId: `${definition.service}-${env.INSTANCE}`,
    stateDir: join(env.STATE_DIR, env.INSTANCE),
    deserializationExceptionHandler: 'logAndContinue',
    processingExceptionHandler: 'logAndContinue',
    deadLetterTopic: topics.deadLetters,
    ...knobs,
  };
}

/**
 * Runs one pipeline service: profile and environment -> config, the topology, metrics
 * on /metrics, and a clean close (commit, checkpoints) on SIGINT/SIGTERM.
 */
export async function runService(
  definition: ServiceDefinition,
  env = readEnvironment(),
): Promise<RunningService> {
  const profile = applyProfileOverrides(
    loadProfile(definition.profilesDir, env.STREAMTUNE_PROFILE),
    env.PROFILE_OVERRIDES,
  );
  const windows = scaleJoinWindows(DEFAULT_JOIN_WINDOWS, env.WINDOW_SCALE);
  const topology = definition.topology({ topics: pipelineTopics(env.TOPIC_PREFIX), windows });
  const streams = new KafkaStreams(topology, serviceConfig(definition, env, profile));
  const metrics = await createServiceMetrics({
    service: definition.service,
    instance: env.INSTANCE,
    port: env.METRICS_PORT ?? METRICS_PORTS[definition.service],
  });
  instrumentStreams(metrics, streams);
  console.log(
    `[${definition.service}] profile ${profile.chain.join(' <- ')}; metrics on ${metrics.url}/metrics; brokers ${env.KAFKA_BROKERS}`,
  );
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await streams.close();
      await metrics.close();
    })());
  await streams.start();
  return { streams, profile, metricsUrl: metrics.url, stop };
}

/** The one line a service's main.ts has: run, stop cleanly on a signal, exit non-zero on failure. */
export function main(definition: ServiceDefinition): void {
  runService(definition).then(
    (running) => {
      const onSignal = (signal: string) => {
        console.log(`[${definition.service}] ${signal}: committing and closing`);
        running.stop().then(
          () => process.exit(0),
          (e: unknown) => {
            console.error(`[${definition.service}] close failed: ${String(e)}`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => onSignal('SIGINT'));
      process.once('SIGTERM', () => onSignal('SIGTERM'));
      running.streams.setStateListener((to) => {
        if (to === 'ERROR') {
          console.error(`[${definition.service}] stopped with an error: ${running.streams.error()?.message}`);
          void running.stop().finally(() => process.exit(1));
        }
      });
    },
    (e: unknown) => {
      console.error(`[${definition.service}] could not start: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
