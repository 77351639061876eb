import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { filterAbortedMessages, type FetchedMessage } from '../src/aborted-filter';

const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);

const data = (
  offset: number,
  producerId: string,
  value = `${producerId}@${offset}`,
): FetchedMessage & { value: string } => ({
  offset: String(offset),
  key: Buffer.from('k'),
  value,
  batchContext: { producerId, inTransaction: true },
});
const marker = (offset: number, producerId: string, key: Buffer): FetchedMessage & { value: string } => ({
  offset: String(offset),
  key,
  value: '',
  isControlRecord: true,
  batchContext: { producerId, inTransaction: true },
});
const values = (ms: ReadonlyArray<{ value: string; isControlRecord?: boolean }>) =>
  ms.filter((m) => !m.isControlRecord).map((m) => m.value);

/** kafkajs' own filter, loaded from its file (not the one this package installs). */
function kafkajsFilter(): typeof filterAbortedMessages {
  const require = createRequire(import.meta.url);
  const path = require.resolve('kafkajs/src/consumer/filterAbortedMessages.js');
  const loaded = require(path) as typeof filterAbortedMessages;
  return loaded === filterAbortedMessages ? (undefined as never) : loaded;
}

describe('filterAbortedMessages', () => {
  // A begins at 0, B at 1; B aborts first, so the broker lists B before A
  const unsorted = {
    messages: [
      data(0, 'A'),
      data(1, 'B'),
      marker(2, 'B', ABORT),
      data(3, 'C'),
      marker(4, 'A', ABORT),
      marker(5, 'C', COMMIT),
    ],
    abortedTransactions: [
      { producerId: 'B', firstOffset: '1' },
      { producerId: 'A', firstOffset: '0' },
    ],
  };
  // a fetch that starts after both aborted transactions began
  const startedBefore = {
    messages: [
      data(10, 'B'),
      data(11, 'A'),
      data(12, 'C'),
      marker(13, 'A', ABORT),
      marker(14, 'B', ABORT),
      marker(15, 'C', COMMIT),
    ],
    abortedTransactions: [
      { producerId: 'A', firstOffset: '4' },
      { producerId: 'B', firstOffset: '6' },
    ],
  };

  it('drops every record of an aborted transaction when the broker lists them out of order', () => {
    expect(values(filterAbortedMessages(unsorted))).toEqual(['C@3']);
  });

  it('drops records of every aborted transaction that began before the fetch, not one per record', () => {
    expect(values(filterAbortedMessages(startedBefore))).toEqual(['C@12']);
  });

  it("kafkajs' own filter lets both cases through (why this package exists)", () => {
    const theirs = kafkajsFilter();
    if (!theirs) return; // the fix is installed in this process: nothing to compare with
    expect(values(theirs(unsorted))).toContain('A@0');
    expect(values(theirs(startedBefore))).toContain('B@10');
  });

  it('keeps committed and non-transactional records, and a producer that aborted once commits later', () => {
    const plain = { ...data(0, '-1'), batchContext: { producerId: '-1', inTransaction: false } };
    const out = filterAbortedMessages({
      messages: [plain, data(1, 'A'), marker(2, 'A', ABORT), data(3, 'A'), marker(4, 'A', COMMIT)],
      abortedTransactions: [{ producerId: 'A', firstOffset: '1' }],
    });
    expect(values(out)).toEqual(['-1@0', 'A@3']);
  });

  it('returns the records unchanged when nothing was aborted', () => {
    const messages = [data(0, 'A')];
    expect(filterAbortedMessages({ messages, abortedTransactions: [] })).toBe(messages);
  });
});
