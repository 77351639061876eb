import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { barChartSvg, lineChartSvg, niceTicks, readResultFiles, writeResultFile } from '../src/index';

describe('SVG charts', () => {
  it('draws one bar per category and series, with escaped labels', () => {
    const svg = barChartSvg({
      title: 'p99 <before & after>',
      categories: ['orders-paid', 'orders-shipped', 'order-outcomes'],
      series: [
        { name: 'baseline', values: [120, 300, 900] },
        { name: 'tuned', values: [40, 80, 200] },
      ],
      yLabel: 'ms',
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(6);
    expect(svg).toContain('p99 &#60;before &#38; after&#62;');
    expect(svg).not.toContain('<before');
  });

  it('draws a path per series with more than one point, on a log axis when asked', () => {
    const svg = lineChartSvg({
      title: 'commitIntervalMs sweep',
      logX: true,
      xLabel: 'commitIntervalMs',
      series: [
        {
          name: 'throughput',
          points: [
            [0, 100],
            [100, 900],
            [30_000, 1200],
          ],
        },
        { name: 'single', points: [[5, 10]] },
      ],
    });
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg.match(/<circle /g)).toHaveLength(4);
    expect(svg).toContain('30k');
  });

  it('rejects series that do not fit the categories, and negative values', () => {
    expect(() =>
      barChartSvg({ title: 't', categories: ['a', 'b'], series: [{ name: 's', values: [1] }] }),
    ).toThrow(/1 values for 2 categories/);
    expect(() =>
      barChartSvg({ title: 't', categories: ['a'], series: [{ name: 's', values: [-1] }] }),
    ).toThrow(/>= 0/);
  });

  it('picks round ticks that cover the maximum', () => {
    expect(niceTicks(93)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});

describe('result files', () => {
  it('writes the data with the machine description and reads it back by scenario', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perf-results-'));
    const { path } = await writeResultFile(dir, 'commit-interval', { throughput: 123 }, { revision: 'abc' });
    await writeResultFile(dir, 'other', { x: 1 });
    const written = JSON.parse(await readFile(path, 'utf8'));
    expect(written.machine.cores).toBeGreaterThan(0);
    expect(written.machine.node).toBe(process.version);
    expect(written.machine.loadAverage).toHaveLength(3);
    const back = await readResultFiles<{ throughput: number }>(dir, 'commit-interval');
    expect(back).toHaveLength(1);
    expect(back[0]?.data.throughput).toBe(123);
    expect(back[0]?.revision).toBe('abc');
  });
});
