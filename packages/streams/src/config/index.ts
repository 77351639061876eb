export {
  parseConfig,
  ConfigError,
  streamsConfigSchema,
  producerConfigSchema,
  consumerConfigSchema,
  stateStoreConfigSchema,
} from './schema';
export type {
  StreamsConfig,
  StreamsConfigInput,
  ProducerConfig,
  ConsumerConfig,
  StateStoreConfig,
} from './schema';
