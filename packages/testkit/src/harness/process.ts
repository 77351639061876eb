import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { constants } from 'node:os';
import { repoRoot } from '../repo-root';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all (not found, not executable). */
  error?: Error;
}

export interface ProcessSpec {
  /** For messages and logs. */
  name: string;
  command: string;
  args?: readonly string[];
  /** Default: the repository root, where `--import tsx` resolves (outside it: this process's cwd). */
  cwd?: string;
  /** Added to this process's environment. */
  env?: Readonly<Record<string, string | undefined>>;
  /** stdout and stderr are appended here (the run's record); the last lines are kept in memory either way. */
  logPath?: string;
  /**
   * Its own process group, signalled as a whole. Needed when the command is a wrapper
   * (npx, a shell) that would not pass a SIGKILL on; it also keeps a terminal's Ctrl-C
   * from reaching the child directly, so the parent can stop children in order.
   */
  group?: boolean;
  /** Sees every chunk of output, e.g. to echo it in a test's stderr. */
  onOutput?: (text: string) => void;
}

const TAIL_CHARS = 8_000;

function defaultCwd(): string {
  try {
    return repoRoot();
  } catch {
    // installed as a package, outside the monorepo
    return process.cwd();
  }
}

/**
 * `node --import tsx <entry>`: one process. The tsx binary would run the script in a child of
 * its own, and a SIGKILL of the binary would leave that child running (and holding its ports).
 */
export function tsxEntry(entry: string, args: readonly string[] = []): Pick<ProcessSpec, 'command' | 'args'> {
  return { command: process.execPath, args: ['--import', 'tsx', entry, ...args] };
}

/** A child process with its output kept, and a stop that cannot hang. */
export class ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logPath: string | undefined;
  readonly exited: Promise<ExitStatus>;
  private status: ExitStatus | undefined;
  private output = '';
  private readonly group: boolean;

  constructor(spec: ProcessSpec) {
    this.name = spec.name;
    this.logPath = spec.logPath;
    this.group = spec.group ?? false;
    const log: WriteStream | undefined = spec.logPath
      ? createWriteStream(spec.logPath, { flags: 'a' })
      : undefined;
    this.child = spawn(spec.command, [...(spec.args ?? [])], {
      cwd: spec.cwd ?? defaultCwd(),
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.group,
    });
    const collect = (chunk: Buffer) => {
      log?.write(chunk);
      const text = chunk.toString();
      this.output = (this.output + text).slice(-TAIL_CHARS);
      spec.onOutput?.(text);
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.exited = new Promise<ExitStatus>((resolve) => {
      const settle = (status: ExitStatus) => {
        if (this.status) return;
        this.status = status;
        log?.end();
        resolve(status);
      };
      this.child.once('error', (error) => {
        log?.write(`[harness] could not start ${spec.command}: ${error.message}\n`);
        settle({ code: null, signal: null, error });
      });
      this.child.once('exit', (code, signal) => {
        // its last words may still be in the pipes: wait for them, but not for a grandchild
        // that inherited the pipes and lives on
        const drained = setTimeout(() => settle({ code, signal }), 2_000);
        this.child.once('close', () => {
          clearTimeout(drained);
          settle({ code, signal });
        });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** False once it has exited (or never started). */
  get running(): boolean {
    return this.status === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The exit status, once there is one. */
  get exitStatus(): ExitStatus | undefined {
    return this.status;
  }

  /** The last `lines` lines it wrote, for error messages. */
  tail(lines = 15): string {
    return this.output.trim().split('\n').slice(-lines).join('\n');
  }

  /** The last non-empty line; progress lines end in \r on a terminal, so both count as line ends. */
  lastLine(): string {
    return (
      this.output
        .split(/[\r\n]+/)
        .map((l) => l.trim())
        .filter(Boolean)
        .at(-1) ?? ''
    );
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.running || this.child.pid === undefined) return;
    try {
      if (this.group) process.kill(-this.child.pid, signal);
      else this.child.kill(signal);
    } catch {
      // it exited between the check and the signal
    }
  }

  /** `signal` (default SIGTERM: a clean close), then SIGKILL once `graceMs` has passed. */
  async stop(options: { signal?: NodeJS.Signals; graceMs?: number } = {}): Promise<ExitStatus> {
    if (!this.running) return this.exited;
    this.signal(options.signal ?? 'SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), options.graceMs ?? 20_000);
    const status = await this.exited;
    clearTimeout(timer);
    return status;
  }

  /** SIGKILL, as a crash would end it; resolves once it is gone. */
  async kill(): Promise<ExitStatus> {
    this.signal('SIGKILL');
    return this.exited;
  }
}

export function startProcess(spec: ProcessSpec): ManagedProcess {
  return new ManagedProcess(spec);
}

/** A shell-style exit code: the code, or 128 + the signal's number; 127 when it never started. */
export function exitCode(status: ExitStatus): number {
  if (status.error) return 127;
  if (status.code !== null) return status.code;
  return 128 + (status.signal ? (constants.signals[status.signal] ?? 0) : 0);
}

export function describeExit(status: ExitStatus): string {
  if (status.error) return `could not start (${status.error.message})`;
  return status.signal ? `killed by ${status.signal}` : `exit code ${status.code}`;
}
