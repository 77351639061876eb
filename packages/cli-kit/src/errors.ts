/** A bad command line: the app prints the message and its usage, and exits 64 (EX_USAGE). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_USAGE = 64;
/** The shell's code for a process ended by SIGINT; what an interrupted run exits with. */
export const EXIT_INTERRUPTED = 130;
