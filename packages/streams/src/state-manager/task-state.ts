import type { StreamsConfig } from '../config/schema';
import type { StreamsEvents } from '../observability/events';
import type { TaskId } from '../types/index';
import type { ChangelogReader } from '../restore/changelog-reader';
import type { ChangelogSink, StateStore, StoreBuilder } from '../state/api';

/**
 * The seam between the runtime (runtime/) and a task's state (state-manager/): the runtime
 * creates one per task and drives it from the commit loop; it never touches stores'
 * insides. Order within a commit (runtime/commit): flush() (caches write back, changelog
 * records sent) -> producer flush and acks -> offsets committed -> checkpoint().
 */
export interface TaskState {
  /** Stores by name, ready for processors once open() resolved. */
  readonly stores: ReadonlyMap<string, StateStore>;
  /**
   * Opens the task's stores under `<stateDir>/<applicationId>/<task>/` and restores them
   * from their changelogs (from the checkpoint when local state is intact). Must not block
   * the consumer's heartbeats.
   */
  open(): Promise<void>;
  /** Flushes every store (called before the task's offsets are committed). */
  flush(): Promise<void>;
  /** Records the changelog offsets that the flushed state corresponds to. */
  checkpoint(changelogOffsets: ReadonlyMap<string, string>): Promise<void>;
  /** Lets stores drop expired segments. */
  observeStreamTime(streamTimeMs: number): Promise<void>;
  /** clean=false (crash, error): no checkpoint is written, so the next open restores. */
  close(clean: boolean): Promise<void>;
}

export interface TaskStateOptions {
  config: StreamsConfig;
  taskId: TaskId;
  storeBuilders: ReadonlyArray<StoreBuilder>;
  events: StreamsEvents;
  /** Null in the TopologyTestDriver (no changelog) */
  changelog: ChangelogSink | null;
  changelogReader: ChangelogReader | null;
}

export type TaskStateFactory = (options: TaskStateOptions) => TaskState;
