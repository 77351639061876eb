import { startProcess, tsxEntry, type ManagedProcess } from '@streamtune/testkit/harness';
import { ROOT } from './processes';

/**
 * Like processes.ts' startTs, but the process is inside a memory cgroup from its first
 * instruction: a shell writes its own pid to the group and then execs node, so the pid (and
 * SIGKILL/SIGTERM) stay the service's, and nothing node allocates escapes the cap (this
 * kernel does not move memory already charged elsewhere).
 */
export function startTsInCgroup(
  procsFile: string,
  name: string,
  entry: string,
  args: string[],
  env: Record<string, string>,
  logPath: string,
): ManagedProcess {
  const node = tsxEntry(entry, args);
  return startProcess({
    name,
    command: '/bin/sh',
    args: ['-c', 'echo $$ > "$BENCH_CGROUP_PROCS" && exec "$@"', 'sh', node.command, ...(node.args ?? [])],
    cwd: ROOT,
    env: { ...env, BENCH_CGROUP_PROCS: procsFile },
    logPath,
  });
}
