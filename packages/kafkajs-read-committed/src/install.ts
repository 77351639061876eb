import { createRequire } from 'node:module';
import { filterAbortedMessages } from './aborted-filter';

export type InstallResult = 'installed' | 'too-late' | 'kafkajs-not-found';

const require = createRequire(import.meta.url);

let result: InstallResult | undefined;

/**
 * Puts the correct filter in place of kafkajs' own `filterAbortedMessages` (2.2.4, the
 * last release), which lets records of aborted transactions through when a partition's
 * fetch holds several of them: it activates at most one aborted transaction per record and
 * assumes the broker's list is sorted. kafkajs' Batch module binds the filter when it is
 * first loaded, so this has to run before anything loads kafkajs: importing this package
 * first does it. Idempotent; says what happened.
 */
export function installReadCommittedFix(): InstallResult {
  if (result) return result;
  let filterPath: string;
  let batchPath: string;
  try {
    filterPath = require.resolve('kafkajs/src/consumer/filterAbortedMessages.js');
    batchPath = require.resolve('kafkajs/src/consumer/batch.js');
  } catch {
    console.warn(
      '[@streamtune/kafkajs-read-committed] kafkajs/src/consumer/ not found (no kafkajs 2.x next to this ' +
        'package): the read_committed fix is not installed.',
    );
    return (result = 'kafkajs-not-found');
  }
  if (require.cache[batchPath] && require.cache[filterPath]?.exports !== filterAbortedMessages) {
    result = 'too-late';
    console.warn(
      '[@streamtune/kafkajs-read-committed] kafkajs was loaded before this package: its read_committed ' +
        'consumers may deliver records of aborted transactions. Import this package (or @streamtune/streams) ' +
        'before kafkajs.',
    );
    return result;
  }
  require(filterPath);
  require.cache[filterPath]!.exports = filterAbortedMessages;
  return (result = 'installed');
}

/** Whether kafkajs' consumers in this process use the correct filter. */
export function readCommittedFixInstalled(): boolean {
  return result === 'installed';
}
