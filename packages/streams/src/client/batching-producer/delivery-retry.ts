import type { ProducerConfig } from '../../config/index';
import { backoffMs } from '../backoff';
import { isRetriableFailure } from '../ports';
import type { ProducerBatch } from './accumulator';

/**
 * When a failed produce request is sent again: a retriable failure (the broker unreachable
 * or restarting, a leader that moved) is retried after a growing backoff until the batches'
 * delivery timeout, as the Java producer does (delivery.timeout.ms, retry.backoff.ms,
 * retry.backoff.max.ms). kafkajs gives up after its own few retries, which a broker restart
 * outlasts.
 */
export class DeliveryRetry<R> {
  /** Retries so far of a batch (its backoff grows with them). */
  private readonly attempts = new WeakMap<ProducerBatch<R>, number>();

  constructor(
    private readonly config: Pick<
      ProducerConfig,
      'deliveryTimeoutMs' | 'retryBackoffMs' | 'retryBackoffMaxMs'
    >,
  ) {}

  /** The wait before sending `batches` again, or undefined when the failure is final. */
  backoffFor(batches: readonly ProducerBatch<R>[], cause: unknown, now: number): number | undefined {
    if (!isRetriableFailure(cause)) return undefined;
    if (batches.some((b) => now - b.createdAtMs >= this.config.deliveryTimeoutMs)) return undefined;
    const attempt = Math.max(...batches.map((b) => this.attempts.get(b) ?? 0)) + 1;
    for (const b of batches) this.attempts.set(b, attempt);
    return backoffMs(attempt, this.config.retryBackoffMs, this.config.retryBackoffMaxMs);
  }
}
