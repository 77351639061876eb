export { TopologyTestDriver } from './topology-test-driver';
export type { TopologyTestDriverOptions } from './topology-test-driver';
export { TestInputTopic, TestOutputTopic } from './test-topics';
export type { TestRecord, TopicSerdes } from './test-topics';
export type { KeyValueStoreView, WindowStoreView } from './store-views';
/**
 * Task state on LevelDB, with the record caches, restore and checkpoints: what KafkaStreams
 * runs on. Give it as `taskStateFactory` to drive a topology through the real stores.
 */
export { createTaskState } from '../state-manager/create-task-state';
