import { Gauge, type Registry } from 'prom-client';
import type { MetricSpec } from '../catalog/index';
import { FastCounter, FastHistogram } from './fast-families';

export function counter<L extends string>(registry: Registry, spec: MetricSpec<L>): FastCounter<L> {
  expectType(spec, 'counter');
  return new FastCounter(registry, spec);
}

export function gauge<L extends string>(
  registry: Registry,
  spec: MetricSpec<L>,
  collect?: (this: Gauge<L>) => void,
): Gauge<L> {
  expectType(spec, 'gauge');
  return new Gauge({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labels,
    registers: [registry],
    ...(collect ? { collect } : {}),
  });
}

export function histogram<L extends string>(registry: Registry, spec: MetricSpec<L>): FastHistogram<L> {
  expectType(spec, 'histogram');
  return new FastHistogram(registry, spec);
}

function expectType(spec: MetricSpec, type: MetricSpec['type']): void {
  if (spec.type !== type)
    throw new Error(`@streamtune/metrics: ${spec.name} is a ${spec.type}, not a ${type}`);
}

/** Milliseconds from an event to the seconds Prometheus conventions ask for. */
export function seconds(ms: number): number {
  return ms / 1000;
}

export { cachedTaskLabel as taskLabel } from './fast-families';
