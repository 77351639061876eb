export { parseConfig, ConfigError, streamsConfigSchema } from './schema';
export type {
  StreamsConfig,
  StreamsConfigInput,
  ProducerConfig,
  ConsumerConfig,
  StateStoreConfig,
} from './schema';
