import type { StreamsEvents } from '@streamtune/streams';

export type Unsubscribe = () => void;

/** One group of families (processing, commit, ...) and how the events move them. */
export interface Instruments {
  subscribe(events: StreamsEvents): Unsubscribe[];
  /**
   * The instance's tasks were revoked: drop per-task and per-partition series, since the
   * tasks may now run elsewhere; the runtime reports them again for the tasks it gets back.
   */
  forgetAssignment?(): void;
}
