import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createConnection } from 'node:net';

export interface Managed {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** The last line it wrote (progress lines end in \r on a terminal, \n otherwise). */
  lastLine(): string;
}

/** Starts a child with its output in a log file; nothing of it reaches the terminal. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; logPath: string; cwd: string },
): Managed {
  const log = createWriteStream(options.logPath, { flags: 'a' });
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group: the terminal's Ctrl-C reaches the demo only, which stops children in order
    detached: true,
  });
  let last = '';
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    const lines = chunk
      .toString()
      .split(/[\r\n]+/)
      .map((l) => l.trim())
      .filter(Boolean);
    if (lines.length) last = lines.at(-1)!;
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (e) => {
      log.write(`[demo] could not start ${command}: ${e.message}\n`);
      resolve(127);
    });
    child.once('exit', (code, signal) => {
      log.end();
      resolve(code ?? (signal ? 128 : null));
    });
  });
  return { name, child, exited, lastLine: () => last };
}

/** Sends a signal and waits; SIGKILL after `graceMs`. Resolves with the exit code. */
export async function stopProcess(p: Managed, signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000) {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.exited;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  const code = await p.exited;
  clearTimeout(timer);
  return code;
}

/** True when something accepts TCP connections on host:port. */
export function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
