// first: kafkajs must load with the read_committed fix in place (see that package)
import '@streamtune/kafkajs-read-committed';
import { Kafka, logLevel, type logCreator, type RetryOptions } from 'kafkajs';
import type { StreamsConfig } from '../../config/schema';

/** The broker's text for CONCURRENT_TRANSACTIONS, as kafkajs puts it in its log lines. */
const CONCURRENT_TRANSACTIONS_MESSAGE =
  'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing';

/**
 * kafkajs logs every error response of every request, including the expected ones of a
 * rebalance ("The group is rebalancing"), which are handled a level up and reported
 * through events. Keep errors, minus those per-request echoes, one line each.
 */
const quietLogCreator: logCreator = () => (entry) => {
  const { message, error } = entry.log as { message: string; error?: string };
  if (message.startsWith('Response ')) return;
  // a transaction's first send after a commit, retried (TRANSACTION_FIRST_RETRY_MS): expected
  if (error === CONCURRENT_TRANSACTIONS_MESSAGE || message.endsWith(CONCURRENT_TRANSACTIONS_MESSAGE)) return;
  console.error(
    `[kafkajs] ${entry.namespace ? `${entry.namespace}: ` : ''}${message}${error ? ` (${error})` : ''}`,
  );
};

/**
 * A transaction's first request after the previous commit (AddPartitionsToTxn, or
 * AddOffsetsToTxn when the task produced nothing) is answered CONCURRENT_TRANSACTIONS
 * until the broker has written the previous transaction's markers: a few milliseconds.
 * kafkajs' default first retry waits 300 ms, three commit intervals under exactly_once_v2
 * (probe on loopback: a transaction's first send took 339 ms median, 18 ms with this).
 * The Java producer retries that case after 20 ms.
 */
export const TRANSACTION_FIRST_RETRY_MS = 20;

/** Retries from 20 ms doubling to retryBackoffMaxMs, about as long in total as kafkajs' default. */
export function transactionalRetry(config: StreamsConfig): RetryOptions {
  return {
    initialRetryTime: TRANSACTION_FIRST_RETRY_MS,
    maxRetryTime: config.producer.retryBackoffMaxMs,
    retries: 15,
  };
}

/**
 * The Kafka client of the runtime. `retry` applies to every client made from it, including
 * the transaction coordinator calls of its producers (kafkajs takes those from the client,
 * not the producer), hence a client of their own for transactional producers.
 */
export function createKafka(config: StreamsConfig, retry?: RetryOptions): Kafka {
  const brokers =
    typeof config.bootstrapServers === 'string'
      ? config.bootstrapServers.split(',')
      : config.bootstrapServers;
  return new Kafka({
    clientId: config.clientId ?? config.applicationId,
    brokers: brokers.map((b) => b.trim()),
    logLevel: logLevel.ERROR,
    logCreator: quietLogCreator,
    ...(retry ? { retry } : {}),
  });
}
