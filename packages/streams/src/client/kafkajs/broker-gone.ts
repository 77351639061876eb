/**
 * Two kafkajs errors that mean "the broker cannot be reached right now" but are marked
 * non-retriable, so the runtime would stop instead of riding out a broker restart:
 * - KafkaJSGroupCoordinatorNotFound: no broker answered the coordinator lookup (it has no
 *   cause to tell why; kafkajs throws it once every known broker failed);
 * - "Consumer group was not initialized": a commit while kafkajs restarts its own crashed
 *   consumer (it clears the group, then joins again).
 * test/broker-restart.int.test.ts (at-least-once) failed with each of them, once each.
 */
export class BrokerUnavailableError extends Error {
  override readonly name = 'BrokerUnavailableError';
  readonly retriable = true;
}

export function asBrokerUnavailable(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const gone =
    error.name === 'KafkaJSGroupCoordinatorNotFound' ||
    error.message.startsWith('Consumer group was not initialized');
  return gone ? new BrokerUnavailableError(error.message, { cause: error }) : error;
}
