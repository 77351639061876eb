import { z } from 'zod';
import { MalformedRecordError } from './codec';
import type { ExpectedResult } from './expect';
import type { JoinWindows } from './joins';
import type { Manifest } from './manifest';
import type { OrderConfirmed } from './outputs';

/**
 * The pipeline's windowed aggregation: revenue and order count per warehouse (the
 * region an order ships from) per tumbling window of confirmed orders, final results
 * only (suppress until the window closes). Checkout computes it from its
 * orders-confirmed stream; the verifier recomputes it from the manifest.
 */
export const WAREHOUSE_REVENUE_TOPIC = 'warehouse-revenue';

/** Grouping step's name: `<applicationId>-warehouse-revenue-repartition`. */
export const WAREHOUSE_REVENUE_GROUPING = 'warehouse-revenue';

export interface RevenueWindow {
  sizeMs: number;
  graceMs: number;
}

/**
 * The window, derived from the join windows so scaled test runs scale it too: 12 x the
 * confirmed join's window (one minute by default); grace covers how far confirmed results
 * can arrive out of order, the windows and graces of the three checkout joins together
 * (55 s by default).
 */
export function revenueWindow(windows: JoinWindows): RevenueWindow {
  const checkout = [windows['orders-paid'], windows['orders-screened'], windows['orders-confirmed']];
  return {
    sizeMs: 12 * windows['orders-confirmed'].windowMs,
    graceMs: checkout.reduce((sum, w) => sum + w.windowMs + w.graceMs, 0),
  };
}

export const warehouseRevenueSchema = z.object({
  /** `<warehouse>@<window start>`: one final result per window. */
  id: z.string().min(1),
  warehouse: z.string(),
  windowStart: z.number().int(),
  windowEnd: z.number().int(),
  orders: z.number().int().nonnegative(),
  revenueCents: z.number().int(),
  /** The latest creation time of the orders counted: latency runs from the last contribution. */
  createdAt: z.number().int().nonnegative(),
});

export type WarehouseRevenue = z.infer<typeof warehouseRevenueSchema>;

/** The aggregate of one window while it is open. */
export interface RevenueAggregate {
  orders: number;
  revenueCents: number;
  createdAt: number;
}

export const emptyRevenue = (): RevenueAggregate => ({ orders: 0, revenueCents: 0, createdAt: 0 });

export function addConfirmed(order: OrderConfirmed, agg: RevenueAggregate): RevenueAggregate {
  return {
    orders: agg.orders + 1,
    revenueCents: agg.revenueCents + order.totalCents,
    createdAt: Math.max(agg.createdAt, order.createdAt),
  };
}

export function warehouseRevenueId(warehouse: string, windowStart: number): string {
  return `${warehouse}@${windowStart}`;
}

export function toWarehouseRevenue(
  warehouse: string,
  window: { start: number; end: number },
  agg: RevenueAggregate,
): WarehouseRevenue {
  return {
    id: warehouseRevenueId(warehouse, window.start),
    warehouse,
    windowStart: window.start,
    windowEnd: window.end,
    ...agg,
  };
}

export interface ExpectedRevenueWindow {
  id: string;
  warehouse: string;
  windowStart: number;
  /** Counted from required confirmed results only. */
  orders: number;
  revenueCents: number;
  /** What optional results (drain traffic, late records) may add on top. */
  optionalOrders: number;
  optionalRevenueCents: number;
  /** A window with at least one required result must be emitted. */
  required: boolean;
}

/**
 * Every window the aggregation may emit for a manifest, from the expected orders-confirmed
 * results: a result's window is its timestamp's, its warehouse that of the reservation it
 * joined and its revenue that of the order (both read from the manifest by the ids in the
 * result id). Windows whose every result is required have exact counts.
 */
export function expectedWarehouseRevenue(
  manifest: Manifest,
  confirmed: readonly ExpectedResult[],
  windows: JoinWindows = manifest.header.windows,
): ExpectedRevenueWindow[] {
  const { sizeMs } = revenueWindow(windows);
  const bySeq = new Map(manifest.orders.map((o) => [o.seq, o]));
  const out = new Map<string, ExpectedRevenueWindow>();
  for (const r of confirmed) {
    const order = bySeq.get(Number(/ord(\d+)/.exec(r.id)?.[1]));
    const reservation = bySeq.get(Number(/inv(\d+)/.exec(r.id)?.[1]));
    if (!order || !reservation || order.totalCents === undefined || reservation.warehouse === undefined) {
      throw new Error(`manifest: no order or reservation with warehouse and total behind ${r.id}`);
    }
    const windowStart = Math.floor(r.ts / sizeMs) * sizeMs;
    const id = warehouseRevenueId(reservation.warehouse, windowStart);
    let w = out.get(id);
    if (!w) {
      w = {
        id,
        warehouse: reservation.warehouse,
        windowStart,
        orders: 0,
        revenueCents: 0,
        optionalOrders: 0,
        optionalRevenueCents: 0,
        required: false,
      };
      out.set(id, w);
    }
    if (r.required) {
      w.orders++;
      w.revenueCents += order.totalCents;
      w.required = true;
    } else {
      w.optionalOrders++;
      w.optionalRevenueCents += order.totalCents;
    }
  }
  return [...out.values()].sort(
    (a, b) => a.windowStart - b.windowStart || a.warehouse.localeCompare(b.warehouse),
  );
}

/** Compares one emitted window with its expectation: undefined when it fits, else why not. */
export function checkRevenueWindow(
  expected: ExpectedRevenueWindow,
  got: WarehouseRevenue,
): string | undefined {
  const within = (v: number, min: number, extra: number) => v >= min && v <= min + extra;
  if (!within(got.orders, expected.orders, expected.optionalOrders)) {
    return expected.optionalOrders
      ? `${got.id}: ${got.orders} orders, expected ${expected.orders}..${expected.orders + expected.optionalOrders}`
      : `${got.id}: ${got.orders} orders, expected exactly ${expected.orders}`;
  }
  if (!within(got.revenueCents, expected.revenueCents, expected.optionalRevenueCents)) {
    return `${got.id}: revenue ${got.revenueCents} cents, expected ${
      expected.optionalOrders
        ? `${expected.revenueCents}..${expected.revenueCents + expected.optionalRevenueCents}`
        : `exactly ${expected.revenueCents}`
    }`;
  }
  return undefined;
}

/** Decodes and validates a warehouse-revenue result; throws MalformedRecordError. */
export function decodeWarehouseRevenue(bytes: Buffer | string | null): WarehouseRevenue {
  if (bytes === null) throw new MalformedRecordError(WAREHOUSE_REVENUE_TOPIC, 'null value');
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString());
  } catch (err) {
    throw new MalformedRecordError(WAREHOUSE_REVENUE_TOPIC, `not JSON (${(err as Error).message})`);
  }
  const parsed = warehouseRevenueSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new MalformedRecordError(
      WAREHOUSE_REVENUE_TOPIC,
      `${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
