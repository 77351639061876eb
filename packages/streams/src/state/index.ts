export { Stores, WindowStoreBuilder, KeyValueStoreBuilder } from './stores';
export type { WindowStoreBuilderOptions, KeyValueStoreBuilderOptions, StoreLogging } from './stores';
export {
  stateMemoryFootprint,
  assertStateMemoryBudget,
  levelDbInstanceFootprint,
  layoutInstances,
  StateMemoryBudgetError,
} from './footprint';
export type { StateMemoryFootprint, StateShape, LevelDbInstanceFootprint } from './footprint';
export { segmentIntervalMs, maxLiveSegments, MIN_SEGMENT_INTERVAL_MS } from './segments';
export { SHARED_INSTANCE_STORE } from './stats-sampler';
export type * from './api';
export type { SerdeSpec, DefaultSerdes } from './metered-stores';
export { SessionStore, SessionStoreBuilder, sessionKeySerde } from './session-store';
export type { SessionKey, SessionEntry, SessionStoreBuilderOptions } from './session-store';
export { valueAndTimestampSerde } from './timestamped';
export type { ValueAndTimestamp } from './timestamped';
