import type { InputTopic, OutputTopic, PipelineTopic } from './topics';

export type JoinKind = 'inner' | 'left' | 'outer';
export type ServiceName = 'checkout' | 'fulfillment' | 'marketing';

/** A symmetric join window (Kafka Streams' `JoinWindows.ofTimeDifferenceAndGrace`). */
export interface JoinWindow {
  /** Records join when their timestamps differ by at most this much (inclusive). */
  windowMs: number;
  /** How long after the window a late record is still accepted; left/outer results wait for it too. */
  graceMs: number;
}

export interface JoinSpec {
  output: OutputTopic;
  service: ServiceName;
  left: InputTopic | OutputTopic;
  right: InputTopic | OutputTopic;
  kind: JoinKind;
  /** The key both sides are joined on. */
  by: 'orderId' | 'sessionId';
  /** Set when the left side is re-keyed through a repartition topic before the join. */
  rekeyLeftBy?: 'sessionId';
  /** The output's key when it differs from the join key. */
  outputKey?: 'orderId';
}

/** The eight joins, in topological order. */
export const JOINS: readonly JoinSpec[] = [
  {
    output: 'orders-paid',
    service: 'checkout',
    left: 'orders',
    right: 'payments',
    kind: 'inner',
    by: 'orderId',
  },
  {
    output: 'orders-screened',
    service: 'checkout',
    left: 'orders-paid',
    right: 'fraud-checks',
    kind: 'left',
    by: 'orderId',
  },
  {
    output: 'orders-confirmed',
    service: 'checkout',
    left: 'orders-screened',
    right: 'inventory-reservations',
    kind: 'inner',
    by: 'orderId',
  },
  {
    output: 'orders-shipped',
    service: 'fulfillment',
    left: 'orders-confirmed',
    right: 'shipments',
    kind: 'inner',
    by: 'orderId',
  },
  {
    output: 'orders-fulfilled',
    service: 'fulfillment',
    left: 'orders-shipped',
    right: 'deliveries',
    kind: 'left',
    by: 'orderId',
  },
  {
    output: 'engaged-sessions',
    service: 'marketing',
    left: 'ad-clicks',
    right: 'page-views',
    kind: 'inner',
    by: 'sessionId',
  },
  {
    output: 'attributed-orders',
    service: 'marketing',
    left: 'orders',
    right: 'engaged-sessions',
    kind: 'left',
    by: 'sessionId',
    rekeyLeftBy: 'sessionId',
    outputKey: 'orderId',
  },
  {
    output: 'order-outcomes',
    service: 'marketing',
    left: 'attributed-orders',
    right: 'orders-fulfilled',
    kind: 'outer',
    by: 'orderId',
  },
];

export type JoinWindows = Record<OutputTopic, JoinWindow>;

/**
 * Default windows and graces. A left/outer join holds back its unmatched
 * results until window + grace has passed (its "hold"), so they reach the next
 * join that much later than their timestamps say, plus the processing lag L of
 * the services on the way. A join J fed by such a path needs:
 * - grace >= hold + L, or an inner join drops the late side (window + grace
 *   is what a record may lag behind stream time);
 * - for a left/outer J, window >= hold + L as well: like Kafka Streams, a
 *   record that finds no partner when it arrives more than its window behind
 *   stream time is emitted as unmatched at once, and the partner arriving
 *   afterwards still joins: a one-sided result next to the joined one.
 * With these defaults:
 * - orders-shipped / orders-fulfilled: hold 10 s (orders-screened), grace 30 s:
 *   checkout may lag 20 s;
 * - order-outcomes: holds 50 s (attributed-orders) and 45 s (orders-screened +
 *   orders-fulfilled), window 80 s: 30 s of lag across the services.
 * WINDOW_SCALE shrinks holds, windows and graces but not the lag: a short run
 * at scale 0.5 tolerates half of it. docs/operations.md has the reasoning.
 */
export const DEFAULT_JOIN_WINDOWS: JoinWindows = {
  'orders-paid': { windowMs: 5_000, graceMs: 5_000 },
  'orders-screened': { windowMs: 5_000, graceMs: 5_000 },
  'orders-confirmed': { windowMs: 5_000, graceMs: 30_000 },
  'orders-shipped': { windowMs: 5_000, graceMs: 30_000 },
  'orders-fulfilled': { windowMs: 5_000, graceMs: 30_000 },
  'engaged-sessions': { windowMs: 5_000, graceMs: 5_000 },
  'attributed-orders': { windowMs: 20_000, graceMs: 30_000 },
  'order-outcomes': { windowMs: 80_000, graceMs: 20_000 },
};

/** The same windows, each multiplied by `factor` (short test runs use e.g. 0.2). */
export function scaleJoinWindows(windows: JoinWindows, factor: number): JoinWindows {
  if (!(factor > 0)) throw new Error(`window scale must be > 0, got ${factor}`);
  return Object.fromEntries(
    Object.entries(windows).map(([k, w]) => [
      k,
      { windowMs: Math.round(w.windowMs * factor), graceMs: Math.round(w.graceMs * factor) },
    ]),
  ) as JoinWindows;
}

/** Windows with some joins overridden (e.g. from a profile file). */
export function withJoinWindows(overrides: Partial<Record<OutputTopic, Partial<JoinWindow>>>): JoinWindows {
  const out = { ...DEFAULT_JOIN_WINDOWS };
  for (const [k, w] of Object.entries(overrides) as [OutputTopic, Partial<JoinWindow>][]) {
    if (!(k in out)) throw new Error(`unknown join output "${k}"`);
    out[k] = { ...out[k], ...w };
  }
  return out;
}

/** The join outputs one service produces, in topological order. */
export function joinOutputsOf(service: ServiceName): OutputTopic[] {
  return JOINS.filter((j) => j.service === service).map((j) => j.output);
}

/** The topics one service reads from outside: its joins' inputs that it does not produce itself. */
export function joinInputsOf(service: ServiceName): PipelineTopic[] {
  const own = new Set<string>(joinOutputsOf(service));
  const inputs = JOINS.filter((j) => j.service === service).flatMap((j) => [j.left, j.right]);
  return [...new Set(inputs)].filter((t) => !own.has(t));
}

export function joinFor(output: OutputTopic): JoinSpec {
  const spec = JOINS.find((j) => j.output === output);
  if (!spec) throw new Error(`no join produces "${output}"`);
  return spec;
}

/**
 * Event time by which every result of a record with event time t has been
 * emitted, counted from t: unmatched left/outer results wait window + grace at
 * each such join on the way. The load generator keeps traffic flowing this long
 * after the measured orders, so that stream time passes every window.
 */
export function maxEmitDelayMs(windows: JoinWindows): number {
  const delay = new Map<string, number>();
  for (const j of JOINS) {
    const upstream = Math.max(delay.get(j.left) ?? 0, delay.get(j.right) ?? 0);
    const w = windows[j.output];
    delay.set(j.output, upstream + (j.kind === 'inner' ? 0 : w.windowMs + w.graceMs));
  }
  return Math.max(...delay.values());
}

/** The window and grace of the join that consumes an input topic directly (its first join). */
export function firstJoinOf(input: InputTopic, windows: JoinWindows): JoinWindow {
  const spec = JOINS.find((j) => j.left === input || j.right === input);
  if (!spec) throw new Error(`no join reads "${input}"`);
  return windows[spec.output];
}
