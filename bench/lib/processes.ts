import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
export const TSX = `${ROOT}/node_modules/.bin/tsx`;

export interface Child {
  name: string;
  proc: ChildProcess;
  logPath: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a TypeScript entry point with tsx; stdout and stderr go to a log file (the run's record). */
export function startTs(
  name: string,
  entry: string,
  args: string[],
  env: Record<string, string>,
  logPath: string,
): Child {
  const log = createWriteStream(logPath, { flags: 'a' });
  // node with tsx's loader, not the tsx binary: tsx runs the script in a child process, and a
  // SIGKILL of the binary would leave that child running (and holding its ports)
  const proc = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
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

/** SIGTERM (clean close: commit, checkpoints), then SIGKILL after a grace period. */
export async function stop(child: Child, graceMs = 20_000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

export async function kill9(child: Child): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGKILL');
  await child.exited;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls an HTTP endpoint until it answers 200; resolves with the time it took, rejects on timeout or exit. */
export async function waitForOk(
  url: string,
  timeoutMs: number,
  child?: Child,
  pollMs = 100,
): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child && (child.proc.exitCode !== null || child.proc.signalCode !== null)) {
      throw new Error(`${child.name} exited before ${url} answered (log: ${child.logPath})`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return Date.now() - start;
    } catch {
      // not up yet
    }
    await sleep(pollMs);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}
