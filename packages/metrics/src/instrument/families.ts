import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { MetricSpec } from '../catalog/index';

export function counter<L extends string>(registry: Registry, spec: MetricSpec<L>): Counter<L> {
  expectType(spec, 'counter');
  return new Counter({ name: spec.name, help: spec.help, labelNames: spec.labels, registers: [registry] });
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

export function histogram<L extends string>(registry: Registry, spec: MetricSpec<L>): Histogram<L> {
  expectType(spec, 'histogram');
  return new Histogram({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labels,
    buckets: [...(spec.buckets ?? [])],
    registers: [registry],
  });
}

function expectType(spec: MetricSpec, type: MetricSpec['type']): void {
  if (spec.type !== type)
    throw new Error(`@streamtune/metrics: ${spec.name} is a ${spec.type}, not a ${type}`);
}

/** Milliseconds from an event to the seconds Prometheus conventions ask for. */
export function seconds(ms: number): number {
  return ms / 1000;
}

/** The task id as Kafka Streams prints it (same format as taskIdToString in @streamtune/streams). */
export function taskLabel(taskId: { subtopology: number; partition: number }): string {
  return `${taskId.subtopology}_${taskId.partition}`;
}
