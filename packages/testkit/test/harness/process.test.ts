import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeExit, exitCode, startProcess, type ManagedProcess } from '../../src/harness';

const node = (script: string) => ({ command: process.execPath, args: ['-e', script] });
const started: ManagedProcess[] = [];
/** Gone, or a zombie that only waits for a reaper (a container's init may not reap at once). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const start = (...specs: Parameters<typeof startProcess>) => {
  const p = startProcess(...specs);
  started.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.kill()));
});

describe('ManagedProcess', () => {
  it('keeps the output in a log file and its last lines in memory, \\r ending a line too', async () => {
    const logPath = join(mkdtempSync(join(tmpdir(), 'harness-')), 'child.log');
    const p = start({
      name: 'talker',
      ...node(`console.error('one'); console.log('two'); process.stdout.write('progress 1\\rprogress 2\\r')`),
      logPath,
    });
    const status = await p.exited;
    expect(status).toEqual({ code: 0, signal: null });
    expect(p.running).toBe(false);
    expect(p.lastLine()).toBe('progress 2');
    expect(p.tail()).toContain('one');
    const log = readFileSync(logPath, 'utf8');
    expect(log).toContain('one\n');
    expect(log).toContain('progress 1\rprogress 2\r');
  });

  it('stops with SIGTERM and, when that is ignored, with SIGKILL after the grace period', async () => {
    const polite = start({ name: 'polite', ...node(`setInterval(() => {}, 1000)`) });
    expect(await polite.stop()).toEqual({ code: null, signal: 'SIGTERM' });

    const stubborn = start({
      name: 'stubborn',
      ...node(`process.on('SIGTERM', () => {}); console.log('armed'); setInterval(() => {}, 1000)`),
    });
    while (!stubborn.tail().includes('armed')) await new Promise((r) => setTimeout(r, 20));
    const status = await stubborn.stop({ graceMs: 200 });
    expect(status.signal).toBe('SIGKILL');
    expect(exitCode(status)).toBe(137);
    expect(describeExit(status)).toBe('killed by SIGKILL');
  });

  it('signals a whole process group, so a wrapper cannot leave its child behind', async () => {
    // a shell that starts a node grandchild and waits: killing only the shell would orphan it
    const p = start({
      name: 'wrapper',
      command: 'sh',
      args: ['-c', `"${process.execPath}" -e "console.log(process.pid); setInterval(() => {}, 1000)"; wait`],
      group: true,
    });
    while (!/\d+/.test(p.lastLine())) await new Promise((r) => setTimeout(r, 20));
    const grandchild = Number(p.lastLine());
    await p.kill();
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(grandchild)).toBe(false);
  });

  it('reports a command that cannot start instead of throwing', async () => {
    const p = start({ name: 'missing', command: '/nonexistent/command' });
    const status = await p.exited;
    expect(status.error).toBeDefined();
    expect(exitCode(status)).toBe(127);
  });
});
