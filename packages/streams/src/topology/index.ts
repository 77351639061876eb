export { Topology, TopologyError } from './topology';
export type { SourceOptions, SinkOptions } from './topology';
export { TopologyDescription } from './describe';
export type { NodeDescription, SubtopologyDescription } from './describe';
export { groupSubtopologies, sinkTopics } from './subtopologies';
export type { Subtopology } from './subtopologies';
export { isTopicRef, resolveTopicName } from './nodes';
export type {
  TopicRef,
  TopicNameExtractor,
  TimestampExtractor,
  SourceNode,
  ProcessorNode,
  SinkNode,
  TopologyNode,
  InternalTopicSpec,
} from './nodes';
export { changelogTopicName } from './topic-names';
