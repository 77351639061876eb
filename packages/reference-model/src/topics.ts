/** Partitions per topic unless a run says otherwise: the figure the tuning account used. */
export const DEFAULT_PARTITIONS = 12;

export const INPUT_TOPICS = [
  'orders',
  'payments',
  'fraud-checks',
  'inventory-reservations',
  'shipments',
  'deliveries',
  'ad-clicks',
  'page-views',
] as const;

export const OUTPUT_TOPICS = [
  'orders-paid',
  'orders-screened',
  'orders-confirmed',
  'orders-shipped',
  'orders-fulfilled',
  'engaged-sessions',
  'attributed-orders',
  'order-outcomes',
] as const;

export type InputTopic = (typeof INPUT_TOPICS)[number];
export type OutputTopic = (typeof OUTPUT_TOPICS)[number];
export type PipelineTopic = InputTopic | OutputTopic;

/**
 * Name of the repartition step that re-keys orders by session (marketing service).
 * Kafka Streams turns it into `<applicationId>-orders-by-session-repartition`.
 */
export const ORDERS_BY_SESSION = 'orders-by-session';

/** Where services put records they cannot decode, one topic for the whole pipeline. */
export const DEAD_LETTER_TOPIC = 'dead-letters';

/**
 * The physical topic name for a run. A prefix isolates runs (tests, benchmarks)
 * on one broker: `topicName('orders', 'bench-7')` is `bench-7.orders`.
 */
export function topicName(base: string, prefix = ''): string {
  return prefix ? `${prefix}.${base}` : base;
}

/** All physical topic names of the pipeline for a prefix. */
export function pipelineTopics(prefix = ''): {
  inputs: Record<InputTopic, string>;
  outputs: Record<OutputTopic, string>;
  /** Outputs of windowed aggregations (see aggregations.ts). */
  aggregates: { 'warehouse-revenue': string };
  deadLetters: string;
} {
  const map = <T extends string>(list: readonly T[]) =>
    Object.fromEntries(list.map((t) => [t, topicName(t, prefix)])) as Record<T, string>;
  return {
    inputs: map(INPUT_TOPICS),
    outputs: map(OUTPUT_TOPICS),
    aggregates: { 'warehouse-revenue': topicName('warehouse-revenue', prefix) },
    deadLetters: topicName(DEAD_LETTER_TOPIC, prefix),
  };
}

/**
 * Every topic the pipeline's services read or write, other than their internal ones
 * (changelogs, repartitions): what a run must create before the services start.
 */
export function pipelineTopicList(prefix = ''): string[] {
  const t = pipelineTopics(prefix);
  return [
    ...Object.values(t.inputs),
    ...Object.values(t.outputs),
    ...Object.values(t.aggregates),
    t.deadLetters,
  ];
}
