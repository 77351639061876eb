import type {
  AdClick,
  Delivery,
  FraudCheck,
  InventoryReservation,
  OrderPlaced,
  PageView,
  Payment,
  Shipment,
} from './events';
import {
  joinId,
  type AttributedOrder,
  type EngagedSession,
  type OrderConfirmed,
  type OrderFulfilled,
  type OrderOutcome,
  type OrderPaid,
  type OrderScreened,
  type OrderShipped,
} from './outputs';

/**
 * The value joiners of the eight joins. Services pass these to their joins so
 * that every service builds results the verifier can recognise.
 */

const latest = (a: { createdAt: number }, b: { createdAt: number } | null | undefined) =>
  b ? Math.max(a.createdAt, b.createdAt) : a.createdAt;

export function joinOrderPayment(order: OrderPlaced, payment: Payment): OrderPaid {
  return {
    id: joinId(order.id, payment.id),
    createdAt: latest(order, payment),
    payload: order.payload,
    orderId: order.orderId,
    sessionId: order.sessionId,
    customerId: order.customerId,
    totalCents: order.totalCents,
    paymentMethod: payment.method,
  };
}

export function joinPaidFraudCheck(paid: OrderPaid, check: FraudCheck | null): OrderScreened {
  return {
    ...paid,
    id: joinId(paid.id, check?.id ?? null),
    createdAt: latest(paid, check),
    fraudVerdict: check ? check.verdict : 'unchecked',
  };
}

export function joinScreenedReservation(
  screened: OrderScreened,
  reservation: InventoryReservation,
): OrderConfirmed {
  return {
    ...screened,
    id: joinId(screened.id, reservation.id),
    createdAt: latest(screened, reservation),
    warehouse: reservation.warehouse,
  };
}

export function joinConfirmedShipment(confirmed: OrderConfirmed, shipment: Shipment): OrderShipped {
  return {
    ...confirmed,
    id: joinId(confirmed.id, shipment.id),
    createdAt: latest(confirmed, shipment),
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
  };
}

export function joinShippedDelivery(shipped: OrderShipped, delivery: Delivery | null): OrderFulfilled {
  return {
    ...shipped,
    id: joinId(shipped.id, delivery?.id ?? null),
    createdAt: latest(shipped, delivery),
    delivered: delivery !== null,
  };
}

export function joinClickPageView(click: AdClick, view: PageView): EngagedSession {
  return {
    id: joinId(click.id, view.id),
    createdAt: latest(click, view),
    payload: view.payload,
    sessionId: click.sessionId,
    campaignId: click.campaignId,
    url: view.url,
  };
}

/** Left side: an order re-keyed by its session (only orders with a session get there). */
export function joinOrderEngagement(order: OrderPlaced, engaged: EngagedSession | null): AttributedOrder {
  if (order.sessionId === null) {
    throw new Error(`order ${order.orderId} has no session; filter such orders out before attribution`);
  }
  return {
    id: joinId(order.id, engaged?.id ?? null),
    createdAt: latest(order, engaged),
    payload: order.payload,
    orderId: order.orderId,
    sessionId: order.sessionId,
    customerId: order.customerId,
    totalCents: order.totalCents,
    campaignId: engaged ? engaged.campaignId : null,
  };
}

export function joinAttributedFulfilled(
  attributed: AttributedOrder | null,
  fulfilled: OrderFulfilled | null,
): OrderOutcome {
  const some = attributed ?? fulfilled;
  if (!some) throw new Error('an outer join result needs at least one side');
  return {
    id: joinId(attributed?.id ?? null, fulfilled?.id ?? null),
    createdAt: attributed && fulfilled ? Math.max(attributed.createdAt, fulfilled.createdAt) : some.createdAt,
    payload: some.payload,
    orderId: some.orderId,
    attributed: attributed !== null,
    campaignId: attributed?.campaignId ?? null,
    fulfilled: fulfilled !== null,
    delivered: fulfilled ? fulfilled.delivered : null,
    totalCents: some.totalCents,
  };
}

/** Orders without a session are not attributable; the marketing service drops them before re-keying. */
export function isAttributable(order: OrderPlaced): order is OrderPlaced & { sessionId: string } {
  return order.sessionId !== null;
}
