import { describe, expect, it } from 'vitest';
import { startProcess, Supervisor, type Crash } from '../../src/harness';

const idle = `console.log('up'); setInterval(() => {}, 1000)`;
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
};

describe('Supervisor', () => {
  it('restarts a SIGKILLed process as a new incarnation and stops every one it started', async () => {
    const crashes: Crash[] = [];
    const s = new Supervisor(
      'svc',
      (n) => startProcess({ name: `svc-${n}`, command: process.execPath, args: ['-e', idle] }),
      { restartDelayMs: 50, onCrash: (c) => crashes.push(c) },
    );
    await until(() => s.current.lastLine() === 'up');
    const first = s.current;
    await first.kill();
    await until(() => s.restarts === 1 && s.current.lastLine() === 'up');
    expect(s.state).toBe('running');
    expect(s.current.name).toBe('svc-1');
    expect(crashes).toMatchObject([{ status: { signal: 'SIGKILL' }, restarting: true }]);
    await s.stop();
    expect(s.state).toBe('stopped');
    expect(s.all.every((p) => !p.running)).toBe(true);
    expect(s.crashes).toHaveLength(1); // the stop is no crash
  });

  it('leaves a crashed process down when restarts are off, and gives up on one that keeps dying', async () => {
    const off = new Supervisor(
      'off',
      () => startProcess({ name: 'off', command: process.execPath, args: ['-e', 'process.exit(3)'] }),
      { restartOnCrash: false },
    );
    await until(() => off.crashes.length === 1);
    expect(off.state).toBe('down');
    expect(off.restarts).toBe(0);

    const dying = new Supervisor(
      'dying',
      () => startProcess({ name: 'dying', command: process.execPath, args: ['-e', 'process.exit(1)'] }),
      { restartDelayMs: 10, maxRestarts: 2 },
    );
    await until(() => dying.crashes.some((c) => !c.restarting));
    expect(dying.restarts).toBe(2);
    expect(dying.state).toBe('down');
  });
});
