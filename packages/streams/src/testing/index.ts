export { TopologyTestDriver } from './topology-test-driver';
export type { TopologyTestDriverOptions } from './topology-test-driver';
export { TestInputTopic, TestOutputTopic } from './test-topics';
export type { TestRecord, TopicSerdes } from './test-topics';
export type { KeyValueStoreView, WindowStoreView } from './store-views';
