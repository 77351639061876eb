export { DEAD_LETTER_HEADERS, RecordFailedError, deadLetterTopicOf } from './record-failure';
export { inProcessTaskState } from './in-process-task-state';
