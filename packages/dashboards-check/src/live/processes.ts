import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { repoRoot } from '@streamtune/testkit';

/** An app of apps/ running as its own process, as compose and the local demo run it. */
export interface AppProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The last lines it wrote, for error messages. */
  tail(): string;
}

/** `node --import tsx apps/<app>/src/main.ts`: the image's CMD, from the repository root. */
export function startApp(name: string, app: string, args: string[], env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `apps/${app}/src/main.ts`, ...args], {
    cwd: repoRoot(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { name, child, exited, tail: () => output.trim().split('\n').slice(-15).join('\n') };
}

/** SIGTERM (the apps commit and close cleanly), SIGKILL after the grace period. */
export async function stopApp(app: AppProcess, graceMs = 20_000): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), graceMs);
  await app.exited;
  clearTimeout(timer);
}

/** Resolves once `url` answers 200; rejects when the app exits first or time runs out. */
export async function waitForOk(url: string, app: AppProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null)
      throw new Error(`${app.name} exited (${app.child.exitCode}):\n${app.tail()}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} of ${app.name} did not answer 200 within ${timeoutMs} ms:\n${app.tail()}`);
}

/** Sum of a family's samples in a Prometheus text exposition (all label sets). */
export function sumSamples(exposition: string, name: string): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (Number.isFinite(value)) sum += value;
    }
  }
  return sum;
}
