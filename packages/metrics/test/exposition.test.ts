import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceMetrics } from '../src/index';
import { emitAll, instrumented } from './helpers';

const run = promisify(execFile);
const promtool = '/usr/bin/promtool';

let metrics: ServiceMetrics | undefined;
afterEach(async () => metrics?.close());

/** Runs `promtool check metrics` (a linter: names, help, units, duplicate series) on an exposition. */
async function promtoolCheck(exposition: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(promtool, ['check', 'metrics'], (error, stdout, stderr) =>
      resolve({
        code: error ? Number((error as { code?: number }).code ?? 1) : 0,
        output: `${stdout}${stderr}`,
      }),
    );
    child.stdin?.end(exposition);
  });
}

describe('exposition', () => {
  it.runIf(existsSync(promtool))('passes promtool check metrics with every event kind recorded', async () => {
    let events;
    ({ metrics, events } = await instrumented());
    emitAll(events);
    emitAll(events);
    const body = await (await fetch(`${metrics.url}/metrics`)).text();
    const { code, output } = await promtoolCheck(body);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it.runIf(existsSync(promtool))('the promtool check can fail (a bad exposition is reported)', async () => {
    const { code, output } = await promtoolCheck(
      '# HELP bad_latency_ms some latency\n# TYPE bad_latency_ms counter\nbad_latency_ms 1\n',
    );
    expect(code).not.toBe(0);
    expect(output).toMatch(/bad_latency_ms/);
  });

  it('promtool is installed where the brief says', async () => {
    expect(existsSync(promtool), `${promtool} missing: apt-get install prometheus`).toBe(true);
    const { stdout } = await run(promtool, ['--version']);
    expect(stdout).toMatch(/promtool/);
  });
});
