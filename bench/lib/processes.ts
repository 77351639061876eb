import { startProcess, tsxEntry, type ManagedProcess } from '@streamtune/testkit/harness';

export { sleep } from '@streamtune/testkit/harness';

export const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
export const TSX = `${ROOT}/node_modules/.bin/tsx`;

/**
 * Starts a TypeScript entry point with tsx; stdout and stderr go to a log file (the run's record).
 * `cgroupProcs`: the process is inside that memory cgroup from its first instruction: a shell
 * writes its own pid to the group's cgroup.procs and then execs node, so the pid (and
 * SIGKILL/SIGTERM) stay the service's, and nothing node allocates escapes the cap (this
 * kernel does not move memory already charged elsewhere).
 */
export function startTs(
  name: string,
  entry: string,
  args: string[],
  env: Record<string, string>,
  logPath: string,
  cgroupProcs?: string,
): ManagedProcess {
  const node = tsxEntry(entry, args);
  if (!cgroupProcs) return startProcess({ name, ...node, cwd: ROOT, env, logPath });
  return startProcess({
    name,
    command: '/bin/sh',
    args: ['-c', 'echo $$ > "$BENCH_CGROUP_PROCS" && exec "$@"', 'sh', node.command, ...(node.args ?? [])],
    cwd: ROOT,
    env: { ...env, BENCH_CGROUP_PROCS: cgroupProcs },
    logPath,
  });
}
