import { startProcess, tsxEntry, type ManagedProcess } from '@streamtune/testkit/harness';

export { sleep } from '@streamtune/testkit/harness';

export const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
export const TSX = `${ROOT}/node_modules/.bin/tsx`;

/** Starts a TypeScript entry point with tsx; stdout and stderr go to a log file (the run's record). */
export function startTs(
  name: string,
  entry: string,
  args: string[],
  env: Record<string, string>,
  logPath: string,
): ManagedProcess {
  return startProcess({ name, ...tsxEntry(entry, args), cwd: ROOT, env, logPath });
}
