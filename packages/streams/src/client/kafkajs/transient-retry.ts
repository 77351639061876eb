import { backoffMs } from '../backoff';
import { isRetriableFailure } from '../ports';

/**
 * Retries a kafkajs call that failed with an error the broker marks retriable
 * (NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, ...). kafkajs retries produce and fetch
 * itself, but not every admin request: a ListOffsets on a topic created a moment ago
 * hits a broker whose metadata cache has not caught up, and failing the whole app on that
 * would make every first start fragile.
 */
export async function retryTransient<T>(what: string, call: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetriableFailure(error) || attempt >= attempts) {
        if (isRetriableFailure(error)) (error as Error).message += ` (${what}, after ${attempt} attempts)`;
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, 100, 2_000)));
    }
  }
}
