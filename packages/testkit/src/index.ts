export { kafkaBrokers, testKafka, uniqueName, TestTopics } from './kafka';
export type { TestRecord, ConsumedRecord, ConsumeOptions } from './kafka';
export { startLocalBroker } from './broker/local-broker';
export type { RunningBroker, LocalBrokerOptions } from './broker/local-broker';
export { dockerEngineAnswers, startContainerBroker, KAFKA_IMAGE } from './broker/container-broker';
export { TestPrometheus, ensurePrometheusInstalled, prometheusConfig } from './prometheus';
export type { ScrapeTarget, PromSeries } from './prometheus';
export { DEFAULT_KAFKA_VERSION, kafkaVersion, kafkaLibDir } from './broker/kafka-version';
export * from './harness/index';
