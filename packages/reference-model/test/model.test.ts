import { describe, expect, it } from 'vitest';
import {
  CREATED_AT_HEADER,
  DEFAULT_JOIN_WINDOWS,
  MalformedRecordError,
  decodeInput,
  decodeOutput,
  encodeEvent,
  joinAttributedFulfilled,
  joinClickPageView,
  joinConfirmedShipment,
  joinOrderEngagement,
  joinOrderPayment,
  joinPaidFraudCheck,
  joinScreenedReservation,
  joinShippedDelivery,
  pipelineTopics,
  readCreatedAt,
  scaleJoinWindows,
  topicName,
  withJoinWindows,
  type OrderPlaced,
} from '../src/index';

const base = { eventTime: 1_000, createdAt: 2_000, payload: 'x'.repeat(10) };
const order: OrderPlaced = {
  ...base,
  type: 'order',
  id: 'ord1',
  orderId: 'o1',
  sessionId: 's1',
  customerId: 'c1',
  items: [{ sku: 'a', quantity: 1, priceCents: 100 }],
  totalCents: 100,
  currency: 'EUR',
};

describe('topics', () => {
  it('prefixes every topic name of a run', () => {
    expect(topicName('orders')).toBe('orders');
    const t = pipelineTopics('bench-1');
    expect(t.inputs.orders).toBe('bench-1.orders');
    expect(t.outputs['order-outcomes']).toBe('bench-1.order-outcomes');
    expect(t.deadLetters).toBe('bench-1.dead-letters');
  });
});

describe('codec', () => {
  it('round-trips an event and rejects non-JSON and wrong shapes with MalformedRecordError', () => {
    expect(decodeInput('orders', encodeEvent(order))).toEqual(order);
    expect(() => decodeInput('orders', Buffer.from('{"id":'))).toThrow(MalformedRecordError);
    expect(() => decodeInput('payments', encodeEvent(order))).toThrow(/type/);
    expect(() => decodeInput('orders', null)).toThrow(/null value/);
  });

  it('reads the creation time header from kafkajs or StreamRecord headers', () => {
    expect(readCreatedAt({ [CREATED_AT_HEADER]: Buffer.from('123') })).toBe(123);
    expect(readCreatedAt({ [CREATED_AT_HEADER]: 'abc' })).toBeUndefined();
    expect(readCreatedAt(undefined)).toBeUndefined();
  });
});

describe('joiners', () => {
  it('build ids from both sides, keep the latest creation time, and decode as their topic', () => {
    const payment = {
      ...base,
      type: 'payment' as const,
      id: 'pay1',
      orderId: 'o1',
      method: 'card' as const,
      amountCents: 100,
      createdAt: 2_500,
    };
    const paid = joinOrderPayment(order, payment);
    expect(paid.id).toBe('[ord1+pay1]');
    expect(paid.createdAt).toBe(2_500);
    const screened = joinPaidFraudCheck(paid, null);
    expect(screened.fraudVerdict).toBe('unchecked');
    expect(screened.id).toBe('[[ord1+pay1]+_]');
    const confirmed = joinScreenedReservation(screened, {
      ...base,
      type: 'inventory-reservation',
      id: 'inv1',
      orderId: 'o1',
      warehouse: 'w',
      skus: [],
    });
    const shipped = joinConfirmedShipment(confirmed, {
      ...base,
      type: 'shipment',
      id: 'shp1',
      orderId: 'o1',
      carrier: 'dhl',
      trackingNumber: 't',
    });
    const fulfilled = joinShippedDelivery(shipped, null);
    expect(fulfilled.delivered).toBe(false);
    const engaged = joinClickPageView(
      { ...base, type: 'ad-click', id: 'clk1.0', sessionId: 's1', campaignId: 'cmp' },
      { ...base, type: 'page-view', id: 'pv1.0', sessionId: 's1', url: '/' },
    );
    const attributed = joinOrderEngagement(order, engaged);
    expect(attributed.campaignId).toBe('cmp');
    const outcome = joinAttributedFulfilled(attributed, fulfilled);
    expect(outcome.id).toBe(`[${attributed.id}+${fulfilled.id}]`);
    expect(decodeOutput('order-outcomes', encodeEvent(outcome))).toEqual(outcome);
    expect(decodeOutput('orders-fulfilled', encodeEvent(fulfilled))).toEqual(fulfilled);
    expect(joinAttributedFulfilled(null, fulfilled).attributed).toBe(false);
    expect(() => joinOrderEngagement({ ...order, sessionId: null }, null)).toThrow(/no session/);
  });
});

describe('join windows', () => {
  it('scale and override per join, rejecting unknown joins', () => {
    expect(scaleJoinWindows(DEFAULT_JOIN_WINDOWS, 0.1)['orders-paid']).toEqual({
      windowMs: 500,
      graceMs: 500,
    });
    expect(withJoinWindows({ 'orders-paid': { graceMs: 0 } })['orders-paid']).toEqual({
      windowMs: 5_000,
      graceMs: 0,
    });
    expect(() => withJoinWindows({ nope: {} } as never)).toThrow(/unknown join/);
  });
});
