import {
  decodeInput,
  firstJoinOf,
  MalformedRecordError,
  type ManifestOrder,
  type ManifestSession,
  CREATED_AT_HEADER,
} from '@streamtune/reference-model';
import { describe, expect, it } from 'vitest';
import { defaultPlanOptions, validatePlanOptions, type PlanOptions } from '../src/options';
import { Planner } from '../src/plan';
import { toMessage } from '../src/records';
import { drainSchedule, SendSchedule } from '../src/schedule';

function planAll(overrides: Partial<PlanOptions>) {
  const options = defaultPlanOptions({ durationMs: undefined, ...overrides });
  validatePlanOptions(options);
  const lines: (ManifestOrder | ManifestSession)[] = [];
  const planner = new Planner(options, 0);
  const sends = drainSchedule(new SendSchedule(planner, (l) => lines.push(l)));
  const orders = lines.filter((l): l is ManifestOrder => l.kind === 'order');
  const sessions = lines.filter((l): l is ManifestSession => l.kind === 'session');
  return { options, planner, sends, orders, sessions };
}

const share = (n: number, of: number) => n / of;

describe('the plan', () => {
  it('is the same for the same seed and options, and differs for another seed', () => {
    const a = planAll({ orders: 200, drainMs: 0 });
    const b = planAll({ orders: 200, drainMs: 0 });
    const c = planAll({ orders: 200, drainMs: 0, seed: 'other' });
    expect(b.sends).toEqual(a.sends);
    expect(b.orders).toEqual(a.orders);
    expect(c.orders).not.toEqual(a.orders);
  });

  it('sends in time order and plans exactly the measured orders, then drain orders', () => {
    const { sends, orders, planner } = planAll({ orders: 300, drainMs: 10_000 });
    for (let i = 1; i < sends.length; i++)
      expect(sends[i]!.sendAt).toBeGreaterThanOrEqual(sends[i - 1]!.sendAt);
    expect(orders.filter((o) => !o.drain)).toHaveLength(300);
    expect(planner.measuredOrders).toBe(300);
    const drain = orders.filter((o) => o.drain);
    expect(drain.length).toBeGreaterThan(0);
    expect(drain.every((o) => o.seq >= 300)).toBe(true);
    expect(drain.every((o) => o.late.length === 0)).toBe(true);
  });

  it('leaves out events in the configured shares, and nothing after a missing payment', () => {
    const { orders } = planAll({
      orders: 4_000,
      drainMs: 0,
      missing: { payment: 0.05, fraudCheck: 0.2, inventory: 0.05, delivery: 0.1, click: 0.3 },
    });
    const n = orders.length;
    const unpaid = orders.filter((o) => o.missing.includes('payments'));
    expect(share(unpaid.length, n)).toBeCloseTo(0.05, 1);
    expect(unpaid.every((o) => Object.keys(o.events).join() === 'orders')).toBe(true);
    const paid = orders.filter((o) => !o.missing.includes('payments'));
    expect(share(paid.filter((o) => o.missing.includes('fraud-checks')).length, paid.length)).toBeCloseTo(
      0.2,
      1,
    );
    const shipped = paid.filter((o) => o.events.shipments);
    expect(share(shipped.filter((o) => !o.events.deliveries).length, shipped.length)).toBeCloseTo(0.1, 1);
    expect(orders.every((o) => !o.events.shipments === !o.events['inventory-reservations'])).toBe(true);
  });

  it('sends late events after window + grace of their join, only for measured orders, and out-of-order ones within grace', () => {
    const { options, sends, orders } = planAll({
      orders: 3_000,
      drainMs: 5_000,
      lateShare: 0.05,
      outOfOrderShare: 0.1,
    });
    const late = orders.filter((o) => o.late.length);
    expect(share(late.length, orders.filter((o) => !o.drain).length)).toBeCloseTo(0.05, 1);
    const byId = new Map(sends.filter((s) => !s.malformed).map((s) => [s.fields.id, s]));
    for (const o of late) {
      const topic = o.late[0]!;
      const s = byId.get(o.events[topic]!.id)!;
      const w = firstJoinOf(topic, options.windows);
      expect(s.sendAt - s.eventTime).toBeGreaterThan(w.windowMs + w.graceMs);
      expect(options.lateTopics).toContain(topic);
    }
    const reordered = orders.filter((o) => o.outOfOrder.length);
    expect(reordered.length).toBeGreaterThan(0);
    for (const o of reordered) {
      const topic = o.outOfOrder[0]!;
      const s = byId.get(o.events[topic]!.id)!;
      expect(s.sendAt - s.eventTime).toBe(options.outOfOrderDelayMs);
      expect(o.late).not.toContain(topic);
    }
  });

  it('adds garbled copies in the configured share and lists them in the manifest', () => {
    const { sends, orders, sessions } = planAll({ orders: 2_000, drainMs: 0, malformedShare: 0.02 });
    const bad = sends.filter((s) => s.malformed);
    expect(share(bad.length, sends.length - bad.length)).toBeCloseTo(0.02, 2);
    const listed = orders.reduce((n, o) => n + o.malformed.length, 0);
    const orderTopicsBad = bad.filter((s) => s.key.startsWith('o')).length;
    expect(listed).toBe(orderTopicsBad);
    expect(sessions.some((s) => s.malformed.length)).toBe(true);
  });

  it('plans about the requested records per second of event time', () => {
    const { sends } = planAll({
      orders: undefined,
      durationMs: 60_000,
      rate: 400,
      drainMs: 0,
      malformedShare: 0,
    });
    const inWindow = sends.filter((s) => s.eventTime >= 10_000 && s.eventTime < 50_000).length;
    expect(inWindow / 40).toBeGreaterThan(360);
    expect(inWindow / 40).toBeLessThan(440);
  });

  it('follows rate steps one after another, then drains at the base rate', () => {
    const { sends } = planAll({
      orders: undefined,
      durationMs: 90_000,
      rate: 100,
      rateSteps: { rates: [200, 600, 1_200], stepMs: 30_000 },
      drainMs: 30_000,
      malformedShare: 0,
    });
    // a step's middle 20 s: units anchored in the previous step still send into its start
    const perSecond = (from: number) =>
      sends.filter((s) => s.eventTime >= from + 5_000 && s.eventTime < from + 25_000).length / 20;
    expect(perSecond(0)).toBeGreaterThan(170);
    expect(perSecond(0)).toBeLessThan(230);
    expect(perSecond(30_000)).toBeGreaterThan(540);
    expect(perSecond(30_000)).toBeLessThan(660);
    expect(perSecond(60_000)).toBeGreaterThan(1_080);
    expect(perSecond(60_000)).toBeLessThan(1_320);
    // past the last step's units (their events follow within ~16 s) and before the drain ends
    const drain = sends.filter((s) => s.eventTime >= 108_000 && s.eventTime < 118_000).length / 10;
    expect(drain).toBeGreaterThan(70);
    expect(drain).toBeLessThan(140);
  });

  it('makes records of the configured mean size', () => {
    const { sends } = planAll({ orders: 500, drainMs: 0 });
    const sizes = sends.slice(0, 2_000).map((s) => toMessage(s, 0, 0).value!.length);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(mean).toBeGreaterThan(6_144 * 0.9);
    expect(mean).toBeLessThan(6_144 * 1.1);
  });

  it('rejects an out-of-order delay that would push records past grace', () => {
    expect(() => validatePlanOptions(defaultPlanOptions({ outOfOrderDelayMs: 60_000 }))).toThrow(
      /out-of-order delay/,
    );
    expect(() => validatePlanOptions(defaultPlanOptions({ lateTopics: ['orders'] }))).toThrow(/late events/);
  });
});

describe('records', () => {
  it('carry the event time as the Kafka timestamp and the creation time in a header and the value', () => {
    const { sends } = planAll({ orders: 5, drainMs: 0, malformedShare: 0 });
    const send = sends[0]!;
    const m = toMessage(send, 1_000_000, 1_234_567);
    expect(m.timestamp).toBe(String(1_000_000 + send.eventTime));
    expect(m.headers?.[CREATED_AT_HEADER]).toBe('1234567');
    const value = decodeInput(send.topic, m.value as Buffer);
    expect(value.createdAt).toBe(1_234_567);
    expect(value.id).toBe(send.fields.id);
  });

  it('garbles malformed copies so that decoding fails', () => {
    const { sends } = planAll({ orders: 50, drainMs: 0, malformedShare: 1 });
    const bad = sends.find((s) => s.malformed)!;
    expect(() => decodeInput(bad.topic, toMessage(bad, 0, 0).value as Buffer)).toThrow(MalformedRecordError);
  });
});
