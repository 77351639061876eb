/**
 * The wait before retry number `attempt` (1 for the first): `baseMs`, doubling, at most
 * `maxMs`. The producer's batch retries, the admin calls' transient retries and the stream
 * thread's restarts after a broker outage all back off this way (as the Java clients'
 * retry.backoff.ms / retry.backoff.max.ms do, without their jitter).
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);
}
