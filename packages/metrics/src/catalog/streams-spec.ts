import type { MetricGroup, MetricSpec, MetricType } from './types';

/** Keeps label names as literal types so families only accept their own labels. */
export function streams<const L extends string>(
  group: MetricGroup,
  type: MetricType,
  name: string,
  help: string,
  labels: readonly L[],
  buckets?: readonly number[],
): MetricSpec<L> {
  return { name, type, help, labels, source: 'streams', group, ...(buckets ? { buckets } : {}) };
}
