export * from './types/index';
export * from './config/index';
export * from './observability/index';
export * from './serdes/index';
export * from './dsl/index';
export * from './topology/index';
export type {
  Processor,
  ProcessorContext,
  ProcessorSupplier,
  PunctuationType,
  Cancellable,
} from './processor/api';
export * from './state/index';
export * from './state-manager/index';
export * from './runtime/index';
export * from './client/index';
