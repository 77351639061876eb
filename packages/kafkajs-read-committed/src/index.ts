import { installReadCommittedFix } from './install';

// the side effect is the point of the package: importing it first fixes kafkajs
installReadCommittedFix();

export { filterAbortedMessages, type AbortedTransaction, type FetchedMessage } from './aborted-filter';
export { installReadCommittedFix, readCommittedFixInstalled, type InstallResult } from './install';
