/**
 * The public surface of `@streamtune/streams`: what a service needs to build a topology and run
 * it against Kafka. Everything else is internal and may change in any release; the API report
 * (`packages/streams/api/streams.api.md`, checked in CI) shows every change to this list.
 * The TopologyTestDriver is the subpath export `@streamtune/streams/testing`.
 *
 * @packageDocumentation
 */
// first: kafkajs must load with the read_committed fix in place (see that package)
import '@streamtune/kafkajs-read-committed';

// records and windows
export { record } from './types/index';
export type {
  Headers,
  StreamRecord,
  RecordMetadata,
  KeyValue,
  TimeWindow,
  Windowed,
  TaskId,
} from './types/index';

// configuration: one validated object, Kafka Streams' names in camelCase
export {
  parseConfig,
  ConfigError,
  streamsConfigSchema,
  producerConfigSchema,
  consumerConfigSchema,
  stateStoreConfigSchema,
} from './config/index';
export type {
  StreamsConfig,
  StreamsConfigInput,
  ProducerConfig,
  ConsumerConfig,
  StateStoreConfig,
} from './config/index';

// the events the runtime emits (what @streamtune/metrics subscribes to)
export { StreamsEvents } from './observability/index';
export type {
  StreamsEventMap,
  StreamsEventName,
  StreamsListener,
  StreamsState,
  DropReason,
} from './observability/index';

// serdes
export { Serdes, SerializationError } from './serdes/index';
export type { Serde, Serializer, Deserializer } from './serdes/index';

// the DSL
export { StreamsBuilder, KStream, BranchedKStream, Branched, JoinWindows } from './dsl/index';
export type { Consumed, Produced, Repartitioned, StreamJoined, JoinType } from './dsl/index';
export {
  KTable,
  KGroupedStream,
  KGroupedTable,
  TimeWindowedKStream,
  SlidingWindowedKStream,
  SessionWindowedKStream,
  TimeWindows,
  SlidingWindows,
  SessionWindows,
  Suppressed,
  BufferConfig,
  WindowedSerdes,
} from './dsl/index';
export type { Materialized, Grouped } from './dsl/index';

// topologies (the Processor API builds them directly)
export { Topology, TopologyError, TopologyDescription } from './topology/index';
export type {
  SourceOptions,
  SinkOptions,
  NodeDescription,
  SubtopologyDescription,
  TopicRef,
  TopicNameExtractor,
  TimestampExtractor,
} from './topology/index';

// the Processor API
export type {
  Processor,
  ProcessorContext,
  ProcessorSupplier,
  PunctuationType,
  Cancellable,
} from './processor/api';

// state stores: builders, the store interfaces processors use, the memory footprint of a layout
export { Stores, WindowStoreBuilder, KeyValueStoreBuilder } from './state/index';
export type {
  WindowStoreBuilderOptions,
  KeyValueStoreBuilderOptions,
  StoreLogging,
  SerdeSpec,
  DefaultSerdes,
} from './state/index';
export type {
  StateStore,
  StateStoreContext,
  ChangelogSink,
  WindowStore,
  WindowStoreEntry,
  KeyValueStore,
  KeyValueEntry,
  StoreBuilder,
} from './state/api';
export { stateMemoryFootprint, assertStateMemoryBudget, StateMemoryBudgetError } from './state/index';
export type { StateMemoryFootprint, StateShape, LevelDbInstanceFootprint } from './state/index';

// running a topology
export { KafkaStreams } from './runtime/index';
export type { KafkaStreamsOptions, StateListener } from './runtime/index';
export {
  DEAD_LETTER_HEADERS,
  RecordFailedError,
  deadLetterTopicOf,
  TopologyStartError,
} from './runtime/index';
export type { FailedRecord, FailureKind } from './runtime/task/types';

// the client ports behind KafkaStreamsOptions.clients (kafkajs by default)
export { RebalanceInProgressError } from './client/index';
export type {
  ClientFactory,
  ConsumerPort,
  ConsumerListener,
  ProducerPort,
  ProducedRecord,
  AdminPort,
  NewTopic,
  TopicPartition,
  TopicPartitionOffset,
  FetchedRecord,
  FetchedBatch,
  BatchControl,
  TaskKeyOf,
} from './client/index';
