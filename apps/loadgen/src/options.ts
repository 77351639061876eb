import {
  DEFAULT_JOIN_WINDOWS,
  maxEmitDelayMs,
  scaleJoinWindows,
  type InputTopic,
  type JoinWindows,
} from '@streamtune/reference-model';

export type SizeDistribution = 'fixed' | 'uniform' | 'lognormal';

/** [min, max] in ms, both inclusive. */
export type Range = readonly [number, number];

/** Everything that shapes what the generator plans. Times are ms of event time. */
export interface PlanOptions {
  seed: string;
  /** Good records per second across all input topics (malformed copies come on top). */
  rate: number;
  /**
   * A capacity search: `rates[i]` records per second during the i-th `stepMs` of the load
   * (which then lasts rates × stepMs), drain traffic at `rate`. Unset: `rate` throughout.
   */
  rateSteps?: { rates: readonly number[]; stepMs: number };
  /** Orders to check; when unset, orders arrive for `durationMs`. */
  orders: number | undefined;
  durationMs: number | undefined;
  /** Traffic after the measured orders that moves stream time past every window; 'auto' derives it from the windows. */
  drainMs: number | 'auto';
  recordSize: { mean: number; distribution: SizeDistribution; spread: number };
  /** Distinct order keys; 0 gives every order its own key. Fewer keys make orders share join state. */
  orderKeys: number;
  /** Browsing sessions per order: above 1, sessions without an order come on top. */
  sessionsPerOrder: number;
  viewsPerSession: Range;
  /** Orders without a web session (API, phone): never attributed. */
  directOrderShare: number;
  missing: {
    /** Abandoned checkouts: no payment, and so nothing after it. */
    payment: number;
    fraudCheck: number;
    /** Out of stock: no reservation, no shipment, no delivery. */
    inventory: number;
    delivery: number;
    /** Sessions without an ad click: no engaged session, the order is not attributed. */
    click: number;
  };
  /** Share of measured orders with one event sent later than its join's window + grace. */
  lateShare: number;
  lateTopics: InputTopic[];
  /** How far beyond window + grace a late event is sent. */
  lateMarginMs: number;
  /** Share of order events held back so they arrive after later events (within grace). */
  outOfOrderShare: number;
  outOfOrderDelayMs: number;
  /** Share of records followed by a garbled copy (not JSON). */
  malformedShare: number;
  /** Delays of an order's events, from the session start (order) or the order (the rest). */
  delays: {
    order: Range;
    click: Range;
    view: Range;
    payment: Range;
    fraudCheck: Range;
    inventory: Range;
    shipment: Range;
    /** From the shipment. */
    delivery: Range;
  };
  windows: JoinWindows;
}

export const DEFAULT_DELAYS: PlanOptions['delays'] = {
  order: [2_000, 8_000],
  click: [0, 2_000],
  view: [0, 4_000],
  payment: [0, 1_000],
  fraudCheck: [0, 1_500],
  inventory: [0, 2_000],
  shipment: [500, 2_500],
  delivery: [500, 2_500],
};

export function defaultPlanOptions(overrides: Partial<PlanOptions> = {}): PlanOptions {
  return {
    seed: 'streamtune',
    rate: 500,
    orders: undefined,
    durationMs: 60_000,
    drainMs: 'auto',
    recordSize: { mean: 6_144, distribution: 'lognormal', spread: 0.5 },
    orderKeys: 0,
    sessionsPerOrder: 1.5,
    viewsPerSession: [1, 3],
    directOrderShare: 0.03,
    missing: { payment: 0.02, fraudCheck: 0.1, inventory: 0.01, delivery: 0.1, click: 0.3 },
    lateShare: 0.01,
    lateTopics: ['payments', 'deliveries'],
    lateMarginMs: 5_000,
    outOfOrderShare: 0.05,
    outOfOrderDelayMs: 1_000,
    malformedShare: 0.001,
    delays: DEFAULT_DELAYS,
    windows: DEFAULT_JOIN_WINDOWS,
    ...overrides,
  };
}

/** Shrinks (or stretches) every delay and window by one factor: short test runs keep their shape. */
export function scaleTime(options: PlanOptions, factor: number): PlanOptions {
  const scale = (r: Range): Range => [Math.round(r[0] * factor), Math.round(r[1] * factor)];
  return {
    ...options,
    delays: Object.fromEntries(
      Object.entries(options.delays).map(([k, r]) => [k, scale(r)]),
    ) as PlanOptions['delays'],
    windows: scaleJoinWindows(options.windows, factor),
    lateMarginMs: Math.round(options.lateMarginMs * factor),
    outOfOrderDelayMs: Math.round(options.outOfOrderDelayMs * factor),
    drainMs: options.drainMs === 'auto' ? 'auto' : Math.round(options.drainMs * factor),
    durationMs: options.durationMs,
  };
}

/** Rejects option sets that would make the expected results wrong or the run endless. */
export function validatePlanOptions(o: PlanOptions): void {
  const problems: string[] = [];
  if (!(o.rate > 0)) problems.push('rate must be > 0');
  if (o.rateSteps) {
    if (!o.rateSteps.rates.length || !o.rateSteps.rates.every((r) => r > 0))
      problems.push('rate steps must be rates > 0');
    if (!(o.rateSteps.stepMs > 0)) problems.push('step duration must be > 0');
    if (o.durationMs !== o.rateSteps.rates.length * o.rateSteps.stepMs)
      problems.push('with rate steps the duration is steps × step duration');
  }
  if (o.orders === undefined && o.durationMs === undefined) problems.push('give orders or a duration');
  if (o.orders !== undefined && !(Number.isInteger(o.orders) && o.orders >= 0)) {
    problems.push('orders must be a non-negative integer');
  }
  if (o.durationMs !== undefined && !(o.durationMs >= 0)) problems.push('duration must be >= 0');
  if (!(o.recordSize.mean >= 200)) problems.push('record size must be >= 200 bytes');
  if (!(o.sessionsPerOrder >= 1)) problems.push('sessions per order must be >= 1');
  const shares = {
    directOrderShare: o.directOrderShare,
    lateShare: o.lateShare,
    outOfOrderShare: o.outOfOrderShare,
    malformedShare: o.malformedShare,
    ...Object.fromEntries(Object.entries(o.missing).map(([k, v]) => [`missing.${k}`, v])),
  };
  for (const [name, v] of Object.entries(shares)) {
    if (!(v >= 0 && v <= 1)) problems.push(`${name} must be within [0, 1], got ${v}`);
  }
  for (const t of o.lateTopics) {
    if (t === 'orders' || t === 'ad-clicks' || t === 'page-views') {
      problems.push(`late events are planned for order-lifecycle topics other than orders, not "${t}"`);
    }
  }
  // a held-back event must still be within grace at every join it feeds, with room for jitter
  const minGrace = Math.min(...Object.values(o.windows).map((w) => w.graceMs));
  if (o.outOfOrderShare > 0 && o.outOfOrderDelayMs * 2 > minGrace) {
    problems.push(
      `out-of-order delay ${o.outOfOrderDelayMs} ms must be at most half the smallest grace (${minGrace} ms)`,
    );
  }
  // a key reused while an earlier order with it is still inside some window joins with that order too,
  // and results multiply from join to join: keep reuse well beyond the longest join chain
  if (o.orderKeys > 0) {
    // at the highest rate of a capacity search keys come back soonest
    const peak = o.rateSteps ? { ...o, rate: Math.max(o.rate, ...o.rateSteps.rates) } : o;
    const reuseMs = (o.orderKeys * 1000) / ordersPerSecond(peak);
    const needMs =
      3 * (maxEmitDelayMs(o.windows) + o.delays.order[1] + o.delays.shipment[1] + o.delays.delivery[1]);
    if (reuseMs < needMs) {
      problems.push(
        `--order-keys ${o.orderKeys} reuses a key every ${(reuseMs / 1000).toFixed(0)} s, inside the joins' windows; ` +
          `use at least ${Math.ceil((o.orderKeys * needMs) / reuseMs)} keys (or 0 for one per order)`,
      );
    }
  }
  if (problems.length) throw new Error(`loadgen: invalid options: ${problems.join('; ')}`);
}

/** Expected good records per order, counting its share of sessions: converts records/s into orders/s. */
export function recordsPerOrder(o: PlanOptions): number {
  const m = o.missing;
  const lifecycle = 1 + (1 - m.payment) * (1 + (1 - m.fraudCheck) + (1 - m.inventory) * (3 - m.delivery));
  const sessions = 1 - o.directOrderShare + (o.sessionsPerOrder - 1);
  const perSession = 1 - m.click + (o.viewsPerSession[0] + o.viewsPerSession[1]) / 2;
  return lifecycle + sessions * perSession;
}

/** `atMs` into the load (event-time offset of a unit's anchor); omitted, the base rate. */
export function ordersPerSecond(o: PlanOptions, atMs?: number): number {
  return rateAt(o, atMs) / recordsPerOrder(o);
}

/** Good records per second at `atMs` into the load: the step it falls in, else `rate`. */
export function rateAt(o: PlanOptions, atMs?: number): number {
  const steps = o.rateSteps;
  if (!steps || atMs === undefined || atMs < 0) return o.rate;
  return steps.rates[Math.floor(atMs / steps.stepMs)] ?? o.rate;
}
