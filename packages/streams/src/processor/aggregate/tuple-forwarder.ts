import type { ValueAndTimestamp } from '../../state/timestamped';
import type { Headers } from '../../types/index';
import type { ProcessorContext } from '../api';
import type { Change } from '../table/change';

const NO_HEADERS: Headers = {};

/**
 * Kafka Streams' TimestampedTupleForwarder: when the store's record cache is active, the
 * cache forwards the latest value per key when it flushes (commit) or evicts, so
 * consecutive updates are deduplicated; otherwise every update is forwarded at once.
 */
export class TupleForwarder<KStore, KOut, V> {
  private readonly cached: boolean;

  constructor(
    private readonly context: ProcessorContext<KOut, Change<V>>,
    setFlushListener: (
      listener: (
        key: KStore,
        newValue: ValueAndTimestamp<V> | null,
        oldValue: ValueAndTimestamp<V> | null,
      ) => Promise<void>,
    ) => boolean,
    private readonly outputKey: (key: KStore) => KOut,
    private readonly sendOldValues: boolean,
  ) {
    this.cached = setFlushListener((key, newValue, oldValue) =>
      this.context.forward({
        key: this.outputKey(key),
        value: {
          newValue: newValue?.value ?? null,
          oldValue: this.sendOldValues ? (oldValue?.value ?? null) : null,
        },
        timestamp: newValue ? newValue.timestamp : (oldValue?.timestamp ?? context.currentStreamTimeMs()),
        headers: NO_HEADERS,
      }),
    );
  }

  /** Forwards unless the cache will (at its next flush). */
  async maybeForward(
    key: KOut,
    newValue: V | null,
    oldValue: V | null,
    timestamp: number,
    headers: Headers,
  ): Promise<void> {
    if (this.cached) return;
    await this.context.forward({
      key,
      value: { newValue, oldValue: this.sendOldValues ? oldValue : null },
      timestamp,
      headers,
    });
  }
}
