import { afterEach, describe, expect, it } from 'vitest';
import { findMetric, metricCatalog, metricsFrom, type ServiceMetrics } from '../src/index';
import { instrumented } from './helpers';

let metrics: ServiceMetrics | undefined;
afterEach(async () => {
  await metrics?.close();
  metrics = undefined;
});

describe('metric catalog', () => {
  it('lists exactly the families a service registry holds, with the same type, help and labels', async () => {
    ({ metrics } = await instrumented());
    const registered = (await metrics.registry.getMetricsAsJSON()).map((m) => ({
      name: m.name,
      type: String(m.type),
      help: m.help,
    }));
    const fromService = [...metricsFrom('streams'), ...metricsFrom('runtime')];

    expect(registered.map((m) => m.name).sort()).toEqual(fromService.map((m) => m.name).sort());
    for (const family of registered) {
      const spec = findMetric(family.name);
      expect(spec, family.name).toBeDefined();
      expect({ name: family.name, type: family.type, help: family.help }).toEqual({
        name: spec!.name,
        type: spec!.type,
        help: spec!.help,
      });
    }
  });

  it('declares the label names each registered family uses', async () => {
    ({ metrics } = await instrumented());
    for (const metric of metrics.registry.getMetricsAsArray()) {
      const declared = (metric as unknown as { labelNames: string[] }).labelNames;
      const spec = findMetric(metric.name)!;
      // prom-client's own families declare no labelNames and add theirs when collecting.
      if (spec.name.startsWith('streamtune_'))
        expect([...declared].sort(), spec.name).toEqual([...spec.labels].sort());
    }
  });

  it('has one entry per name and follows Prometheus naming conventions', () => {
    const names = metricCatalog.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const spec of metricCatalog) {
      expect(spec.name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      expect(spec.help.length, spec.name).toBeGreaterThan(10);
      if (spec.source === 'streams') expect(spec.name).toMatch(/^streamtune_/);
      // Names we choose (ours and the JMX rules'); prom-client's and node-exporter's are theirs.
      const ours = /^(streamtune|kafka)_/.test(spec.name);
      if (ours && spec.type === 'counter') expect(spec.name, spec.name).toMatch(/_total$/);
      if (ours && spec.type !== 'counter')
        expect(spec.name, spec.name).not.toMatch(/_total$|_count$|_sum$|_bucket$/);
      if (spec.type === 'histogram' && spec.source === 'streams') {
        expect(spec.buckets?.length, spec.name).toBeGreaterThan(5);
        expect([...spec.buckets!].sort((a, b) => a - b)).toEqual(spec.buckets);
      }
      for (const label of spec.labels) expect(['service', 'instance', 'le', 'job']).not.toContain(label);
    }
  });

  it('times everything in seconds and sizes in bytes', () => {
    for (const spec of metricsFrom('streams')) {
      expect(spec.name, spec.name).not.toMatch(/_(ms|millis|milliseconds|kb|mb)(_|$)/);
    }
  });

  it('e2e latency buckets resolve 1 ms up to minutes', () => {
    const buckets = findMetric('streamtune_record_e2e_latency_seconds')!.buckets!;
    expect(buckets[0]).toBe(0.001);
    expect(buckets.at(-1)).toBeGreaterThanOrEqual(300);
  });

  it('finds a family from the series names a query uses', () => {
    expect(findMetric('streamtune_commit_latency_seconds_bucket')?.name).toBe(
      'streamtune_commit_latency_seconds',
    );
    expect(findMetric('streamtune_commit_latency_seconds_count')?.type).toBe('histogram');
    expect(findMetric('jvm_gc_collection_seconds_sum')?.source).toBe('kafka-jmx');
    expect(findMetric('jvm_gc_collection_seconds_bucket')).toBeUndefined();
    expect(findMetric('streamtune_records_processed_total_count')).toBeUndefined();
    expect(findMetric('node_cpu_seconds_total')?.source).toBe('node-exporter');
    expect(findMetric('streamtune_no_such_metric')).toBeUndefined();
  });

  it('covers every metric group the tuning dashboards need', () => {
    const groups = new Set(metricCatalog.map((m) => m.group));
    for (const group of [
      'processing',
      'commit',
      'consumer',
      'producer',
      'store',
      'restore',
      'state',
      'runtime',
      'host',
      'broker',
    ]) {
      expect(groups).toContain(group);
    }
  });
});
