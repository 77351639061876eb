import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { MetricSpec } from '../src/index';
import { FastCounter, FastHistogram } from '../src/instrument/fast-families';

const histogramSpec: MetricSpec<'op'> = {
  name: 'h_seconds',
  type: 'histogram',
  help: 'a histogram',
  labels: ['op'],
  source: 'streams',
  group: 'store',
  buckets: [0.001, 0.01, 0.1, 1],
};
const counterSpec: MetricSpec<'a' | 'b'> = {
  name: 'c_total',
  type: 'counter',
  help: 'a counter',
  labels: ['a', 'b'],
  source: 'streams',
  group: 'processing',
};

describe('fast families', () => {
  it('expose exactly what prom-client would for the same observations', async () => {
    const fast = new Registry();
    const reference = new Registry();
    for (const registry of [fast, reference]) registry.setDefaultLabels({ service: 's', instance: 'i' });
    const fh = new FastHistogram(fast, histogramSpec);
    const fc = new FastCounter(fast, counterSpec);
    const rh = new Histogram({
      ...histogramSpec,
      labelNames: histogramSpec.labels,
      buckets: [...histogramSpec.buckets!],
      registers: [reference],
    });
    const rc = new Counter({
      name: counterSpec.name,
      help: counterSpec.help,
      labelNames: counterSpec.labels,
      registers: [reference],
    });

    const observations: Array<[string, number]> = [
      ['put', 0.0005],
      ['put', 0.001],
      ['put', 0.05],
      ['fetch', 3],
      ['fetch', 0.2],
      ['put', 1],
    ];
    for (const [op, value] of observations) {
      fh.observe(fh.series(op), value);
      rh.observe({ op }, value);
    }
    fc.series('x', 'y').value += 3;
    fc.series('x', 'z').value++;
    rc.inc({ a: 'x', b: 'y' }, 3);
    rc.inc({ a: 'x', b: 'z' });

    // Same series and values; prom-client happens to print `le` first, which Prometheus ignores.
    const labelsSorted = (line: string) =>
      line.replace(/\{([^}]*)\}/, (_, body: string) => `{${body.split(',').sort().join(',')}}`);
    const sorted = (text: string) => text.split('\n').filter(Boolean).map(labelsSorted).sort();
    expect(sorted(await fast.metrics())).toEqual(sorted(await reference.metrics()));
  });

  it('rejects a wrong number of label values', () => {
    const counter = new FastCounter(new Registry(), counterSpec);
    expect(() => counter.series('only-one')).toThrow(/takes labels a, b/);
  });

  it('ignores values that are not finite numbers rather than corrupting the sum', async () => {
    const histogram = new FastHistogram(new Registry(), histogramSpec);
    const series = histogram.series('put');
    histogram.observe(series, Number.NaN);
    histogram.observe(series, 0.5);
    expect(series.count).toBe(1);
    expect(series.sum).toBe(0.5);
  });
});
