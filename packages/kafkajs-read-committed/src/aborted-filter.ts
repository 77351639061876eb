/** A record as kafkajs decodes it from a fetch response (the fields the filter reads). */
export interface FetchedMessage {
  readonly offset: string;
  readonly key: Buffer | null | undefined;
  readonly isControlRecord?: boolean;
  readonly batchContext: { readonly producerId: string; readonly inTransaction: boolean };
}

/** An entry of a fetch response's aborted-transaction list. */
export interface AbortedTransaction {
  readonly producerId: string;
  readonly firstOffset: string;
}

/** The key of an abort marker (control record version 0, type 0 = ABORT). */
const ABORT_MARKER_KEY = Buffer.from([0, 0, 0, 0]);

const isAbortMarker = (m: FetchedMessage): boolean =>
  m.key != null && Buffer.from(m.key).equals(ABORT_MARKER_KEY);

/**
 * Drops the records of aborted transactions from one partition's fetched records, as the
 * Java consumer does under read_committed: the aborted transactions, in order of their first
 * offset, become active once a record at or after that offset is read, and a producer stops
 * being aborted at its abort marker. Every transaction that has started by a record counts,
 * not one per record, and the broker's list is sorted first: it comes in the order the
 * aborts completed, which is not the order the transactions began when several producers
 * write to one partition.
 */
export function filterAbortedMessages<M extends FetchedMessage>({
  messages,
  abortedTransactions,
}: {
  messages: M[];
  abortedTransactions?: readonly AbortedTransaction[] | null;
}): M[] {
  if (!abortedTransactions?.length) return messages;
  const pending = [...abortedTransactions].sort((a, b) => {
    const d = BigInt(a.firstOffset) - BigInt(b.firstOffset);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  });
  const aborted = new Set<string>();
  let next = 0;
  return messages.filter((message) => {
    const offset = BigInt(message.offset);
    while (next < pending.length && BigInt(pending[next]!.firstOffset) <= offset)
      aborted.add(String(pending[next++]!.producerId));
    const producerId = String(message.batchContext.producerId);
    if (message.isControlRecord && isAbortMarker(message)) {
      aborted.delete(producerId);
      return true; // kafkajs drops control records itself after filtering
    }
    return !(message.batchContext.inTransaction && aborted.has(producerId));
  });
}
