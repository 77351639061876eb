import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const tool = fileURLToPath(new URL('./fixtures/tool.ts', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', tool, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('runMain', () => {
  it('maps the command line and the outcome to exit codes', () => {
    const bad = run('--nope');
    expect(bad.status).toBe(64);
    expect(bad.stderr).toMatch(/^tool: .*nope[\s\S]*usage: tool \[flags\]/);
    const help = run('--help');
    expect([help.status, help.stdout]).toEqual([0, expect.stringContaining('--exit')]);
    expect(run('--exit', '3').status).toBe(3);
    const expected = run('--fail', 'expected');
    expect([expected.status, expected.stderr.trim()]).toEqual([2, 'tool: bad input']);
    const unexpected = run('--fail', 'unexpected');
    expect(unexpected.status).toBe(1);
    expect(unexpected.stderr).toMatch(/Error: bug\n\s+at /); // with its stack
  }, 120_000);

  it('turns SIGTERM into an aborted signal, so the app ends cleanly', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', tool, '--wait', 'true'], { stdio: 'pipe' });
    let out = '';
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // once: a second SIGTERM would kill it, as it should
      if (out.includes('waiting') && !signalled) signalled = child.kill('SIGTERM');
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(130);
    expect(out).toContain('aborted');
  }, 60_000);
});
