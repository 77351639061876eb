export * from './types/index';
export * from './config/index';
export * from './observability/index';
export type {
  Processor,
  ProcessorContext,
  ProcessorSupplier,
  PunctuationType,
  Cancellable,
} from './processor/api';
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
