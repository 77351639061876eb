export { StreamsEvents } from './events';
export type { StreamsEventMap, StreamsEventName, StreamsListener, StreamsState, DropReason } from './events';
