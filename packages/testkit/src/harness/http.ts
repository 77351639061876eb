import type { ManagedProcess } from './process';
import { sleep } from './sleep';

export interface WaitForHttpOptions {
  timeoutMs?: number;
  pollMs?: number;
  /** Each request's own limit: a process that accepts but never answers must not stall the wait. */
  requestTimeoutMs?: number;
  /** The process that should answer: its exit ends the wait at once, with its last lines. */
  process?: Pick<ManagedProcess, 'name' | 'running' | 'logPath' | 'tail'>;
  /** What answers at `url`, for the error message. */
  what?: string;
  /** Ends the wait early (a Ctrl-C); resolves with -1 then. */
  signal?: AbortSignal;
}

/** Polls `url` until it answers 2xx; resolves with the milliseconds it took. */
export async function waitForHttp(url: string, options: WaitForHttpOptions = {}): Promise<number> {
  const { timeoutMs = 60_000, pollMs = 250, requestTimeoutMs = 1_000, process: proc } = options;
  const what = options.what ?? proc?.name ?? url;
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (options.signal?.aborted) return -1;
    if (proc && !proc.running) {
      const log = proc.logPath ? ` (log: ${proc.logPath})` : '';
      throw new Error(`${proc.name} exited before ${url} answered${log}:\n${proc.tail()}`);
    }
    const ok = await fetch(url, { signal: AbortSignal.timeout(requestTimeoutMs) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return Date.now() - start;
    await sleep(pollMs);
  }
  throw new Error(
    `${what} did not answer 200 at ${url} within ${timeoutMs} ms${proc ? `:\n${proc.tail()}` : ''}`,
  );
}
