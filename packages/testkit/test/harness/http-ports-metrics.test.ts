import { describe, expect, it } from 'vitest';
import {
  freePorts,
  MonotonicCounters,
  parsePrometheusText,
  portAnswers,
  scrape,
  startProcess,
  sumOf,
  waitForHttp,
} from '../../src/harness';

const EXPOSITION = `# HELP streamtune_records_processed_total x
# TYPE streamtune_records_processed_total counter
streamtune_records_processed_total{task="0_1",topic="d.orders"} 40
streamtune_records_processed_total{task="0_2",topic="d.pay\\"ments"} 2
process_resident_memory_bytes 104857600
streamtune_gauge_nan NaN
`;

/** A child that serves EXPOSITION on /metrics once `delayMs` has passed. */
function server(port: number, delayMs: number) {
  const script = `setTimeout(() => require('node:http').createServer((q, s) => s.end(${JSON.stringify(EXPOSITION)})).listen(${port}, '127.0.0.1'), ${delayMs})`;
  return startProcess({ name: 'server', command: process.execPath, args: ['-e', script] });
}

describe('ports, HTTP readiness and Prometheus text', () => {
  it('finds distinct free ports, waits for a child to answer and scrapes it', async () => {
    const ports = await freePorts(3);
    expect(new Set(ports).size).toBe(3);
    const [port] = ports as [number];
    expect(await portAnswers(port)).toBe(false);
    const p = server(port, 300);
    try {
      const tookMs = await waitForHttp(`http://127.0.0.1:${port}/metrics`, { process: p, pollMs: 50 });
      expect(tookMs).toBeGreaterThanOrEqual(0);
      expect(await portAnswers(port)).toBe(true);
      const samples = await scrape(`http://127.0.0.1:${port}/metrics`);
      expect(sumOf(samples!, 'streamtune_records_processed_total')).toBe(42);
    } finally {
      await p.stop();
    }
    expect(await scrape(`http://127.0.0.1:${port}/metrics`)).toBeUndefined();
  });

  it('fails the wait at once, with the last lines, when the process exits first', async () => {
    const [port] = (await freePorts(1)) as [number];
    const p = startProcess({
      name: 'quitter',
      command: process.execPath,
      args: ['-e', `console.error('bad config'); process.exit(2)`],
    });
    await expect(waitForHttp(`http://127.0.0.1:${port}/`, { process: p, timeoutMs: 10_000 })).rejects.toThrow(
      /quitter exited before[\s\S]*bad config/,
    );
  });

  it('parses labels with escapes, drops non-finite values and sums by label', () => {
    const samples = parsePrometheusText(EXPOSITION);
    expect(samples).toHaveLength(3);
    expect(samples[1]!.labels).toEqual({ task: '0_2', topic: 'd.pay\\"ments' });
    expect(sumOf(samples, 'streamtune_records_processed_total', (l) => l.task === '0_1')).toBe(40);
    expect(sumOf(samples, 'streamtune_gauge_nan')).toBeUndefined();
  });

  it('keeps counter totals monotonic across a restart of their source', () => {
    const c = new MonotonicCounters();
    expect(c.observe('a', 'n', 10)).toBe(10);
    expect(c.observe('a', 'n', 25)).toBe(25);
    expect(c.observe('a', 'n', 5)).toBe(30); // restarted: counts from 0 again
    c.observe('b', 'n', 7);
    expect(c.total('n')).toBe(37);
    c.restarted('b');
    expect(c.observe('b', 'n', 8)).toBe(15);
    expect(c.total('n', 'a')).toBe(30);
  });
});
