import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { ROOT, type Child } from './processes';

/**
 * Like processes.ts' startTs, but the process is inside a memory cgroup from its first
 * instruction: a shell writes its own pid to the group and then execs node, so the pid (and
 * SIGKILL/SIGTERM) stay the service's, and nothing node allocates escapes the cap.
 */
export function startTsInCgroup(
  procsFile: string,
  name: string,
  entry: string,
  args: string[],
  env: Record<string, string>,
  logPath: string,
): Child {
  const log = createWriteStream(logPath, { flags: 'a' });
  const script = 'echo $$ > "$BENCH_CGROUP_PROCS" && exec "$@"';
  const proc = spawn('/bin/sh', ['-c', script, 'sh', process.execPath, '--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, BENCH_CGROUP_PROCS: procsFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.pipe(log, { end: false });
  proc.stderr?.pipe(log, { end: false });
  const exited = once(proc, 'exit').then(([code, signal]) => {
    log.end();
    return { code: code as number | null, signal: signal as NodeJS.Signals | null };
  });
  return { name, proc, logPath, exited };
}
