export { KafkaStreams } from './kafka-streams';
export type { KafkaStreamsOptions, StateListener } from './kafka-streams';
export { DEAD_LETTER_HEADERS, RecordFailedError, deadLetterTopicOf } from './record-failure';
export { TopologyStartError } from './internal-topics';
