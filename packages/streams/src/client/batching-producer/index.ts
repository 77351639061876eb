export { BatchingProducer } from './batching-producer';
export type { BatchingProducerOptions, BatchingProducerStats, OutgoingRecord } from './batching-producer';
