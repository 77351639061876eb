export { StreamsBuilder } from './streams-builder';
export { KStream } from './kstream';
export { BranchedKStream, Branched } from './branched';
export type { Consumed, Produced, Repartitioned } from './options';
export { JoinWindows } from './join-windows';
export type { StreamJoined, JoinType } from './stream-stream-join';
