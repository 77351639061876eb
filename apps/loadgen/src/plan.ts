import {
  EVENT_TYPES,
  firstJoinOf,
  maxEmitDelayMs,
  type InputTopic,
  type ManifestOrder,
  type ManifestSession,
} from '@streamtune/reference-model';
import { createRng, type Rng } from './prng';
import { payloadLength, sampleRecordSize } from './payload';
import { ordersPerSecond, type PlanOptions, type Range } from './options';

/** One record to send. Times are ms offsets from the run's start. */
export interface PlannedSend {
  sendAt: number;
  eventTime: number;
  topic: InputTopic;
  key: string;
  /** The event without createdAt and payload, which are filled in when it is sent. */
  fields: Record<string, unknown> & { id: string; type: string };
  payloadLength: number;
  /** A garbled copy of the event rather than the event. */
  malformed: boolean;
  /** Creation order: breaks ties between sends due at the same ms, deterministically. */
  seq: number;
}

export interface PlannedUnit {
  anchor: number;
  sends: PlannedSend[];
  manifest: (ManifestOrder | ManifestSession)[];
}

const METHODS = ['card', 'paypal', 'invoice', 'gift-card'] as const;
const WAREHOUSES = ['ams-1', 'fra-2', 'dub-1', 'waw-1', 'mad-1'];
const CARRIERS = ['dhl', 'ups', 'postnl', 'dpd', 'gls'];
const PAGES = ['/', '/search', '/category/shoes', '/category/books', '/product', '/cart', '/checkout'];
/** Topics that may be held back so they arrive out of order. */
const REORDERABLE: InputTopic[] = [
  'payments',
  'fraud-checks',
  'inventory-reservations',
  'shipments',
  'deliveries',
];

/** Traffic needed after the last measured order so that all its results are emitted. */
export function autoDrainMs(o: PlanOptions): number {
  const d = o.delays;
  const span =
    d.order[1] + Math.max(d.payment[1], d.fraudCheck[1], d.inventory[1], d.shipment[1] + d.delivery[1]);
  const lateSend = Math.max(
    0,
    ...o.lateTopics.map((t) => {
      const w = firstJoinOf(t, o.windows);
      return w.windowMs + w.graceMs + o.lateMarginMs;
    }),
  );
  const margin = Math.max(1_000, 0.1 * (span + lateSend));
  return Math.ceil(span + Math.max(maxEmitDelayMs(o.windows), lateSend) + margin);
}

/**
 * Plans the run: orders and browsing sessions as two Poisson arrival streams,
 * each unit with all its events, gaps, disorder, lateness and garbled copies
 * decided up front from the seed. Units come in anchor (start time) order and
 * every send of a unit is at or after its anchor, so a scheduler can merge them.
 */
export class Planner {
  private readonly rng: Rng;
  private nextOrderAt: number;
  private nextBrowseAt: number;
  private orderSeq = 0;
  private sessionSeq = 0;
  private sendSeq = 0;
  /** Anchor after which orders are drain traffic; known once the last measured order is planned. */
  private measuredEnd: number;
  readonly drainMs: number;

  constructor(
    private readonly o: PlanOptions,
    /** Wall-clock ms of offset 0, for the manifest's absolute event times. */
    private readonly startedAt: number,
  ) {
    this.rng = createRng(o.seed);
    this.measuredEnd = o.orders === undefined ? (o.durationMs ?? 0) : o.orders === 0 ? 0 : Infinity;
    this.nextOrderAt = this.rng.exponential(this.orderGapMs(0));
    this.nextBrowseAt = this.rng.exponential(this.browseGapMs(0));
    this.drainMs = o.drainMs === 'auto' ? autoDrainMs(o) : o.drainMs;
  }

  /**
   * Mean gap between orders at `atMs`. With rate steps the arrival rate changes with the
   * step an arrival falls in; drain traffic comes at the base rate.
   */
  private orderGapMs(atMs: number): number {
    return 1000 / ordersPerSecond(this.o, atMs < this.measuredEnd ? atMs : undefined);
  }

  private browseGapMs(atMs: number): number {
    return this.o.sessionsPerOrder > 1 ? this.orderGapMs(atMs) / (this.o.sessionsPerOrder - 1) : Infinity;
  }

  /** Anchor of the next unit, or Infinity once the run (drain included) is planned. */
  nextAnchor(): number {
    const at = Math.min(this.nextOrderAt, this.nextBrowseAt);
    return at >= this.measuredEnd + this.drainMs ? Infinity : at;
  }

  /** Orders planned so far that are checked (not drain). */
  get measuredOrders(): number {
    return this.measuredOrderCount;
  }
  private measuredOrderCount = 0;

  get plannedOrders(): number {
    return this.orderSeq;
  }

  get plannedSessions(): number {
    return this.sessionSeq;
  }

  planNext(): PlannedUnit | undefined {
    const anchor = this.nextAnchor();
    if (anchor === Infinity) return undefined;
    if (this.nextOrderAt <= this.nextBrowseAt) {
      this.nextOrderAt += this.rng.exponential(this.orderGapMs(this.nextOrderAt));
      return this.planOrder(anchor);
    }
    this.nextBrowseAt += this.rng.exponential(this.browseGapMs(this.nextBrowseAt));
    const session = this.planSession(anchor, anchor >= this.measuredEnd);
    return { anchor, sends: session.sends, manifest: [session.line] };
  }

  private planOrder(anchor: number): PlannedUnit {
    const { rng, o } = this;
    const seq = this.orderSeq++;
    const drain = anchor >= this.measuredEnd;
    if (!drain) this.measuredOrderCount++;
    if (o.orders !== undefined && seq === o.orders - 1) this.measuredEnd = anchor + 1e-9;
    const orderId = `o${o.orderKeys > 0 ? seq % o.orderKeys : seq}`;
    const sends: PlannedSend[] = [];
    const manifest: (ManifestOrder | ManifestSession)[] = [];

    let sessionId: string | null = null;
    if (!rng.chance(o.directOrderShare)) {
      const session = this.planSession(anchor, drain);
      sessionId = session.line.sessionId;
      sends.push(...session.sends);
      manifest.push(session.line);
    }
    const t = anchor + this.delay(o.delays.order);
    const items = Array.from({ length: rng.int(1, 4) }, () => ({
      sku: `sku-${rng.int(1, 5_000)}`,
      quantity: rng.int(1, 3),
      priceCents: rng.int(199, 19_999),
    }));
    const totalCents = items.reduce((s, i) => s + i.quantity * i.priceCents, 0);
    const line: ManifestOrder = {
      kind: 'order',
      seq,
      orderId,
      sessionId,
      drain,
      events: {},
      missing: [],
      late: [],
      outOfOrder: [],
      malformed: [],
      totalCents,
    };
    const events: { topic: InputTopic; ts: number; fields: Record<string, unknown> }[] = [];
    const add = (topic: InputTopic, ts: number, prefix: string, fields: Record<string, unknown>) =>
      events.push({
        topic,
        ts,
        fields: { type: EVENT_TYPES[topic], id: `${prefix}${seq}`, orderId, ...fields },
      });

    add('orders', t, 'ord', {
      sessionId,
      customerId: `cust-${rng.int(1, 50_000)}`,
      items,
      totalCents,
      currency: 'EUR',
    });
    const paid = !rng.chance(o.missing.payment);
    if (paid) {
      add('payments', t + this.delay(o.delays.payment), 'pay', {
        method: rng.pick(METHODS),
        amountCents: totalCents,
      });
      if (!rng.chance(o.missing.fraudCheck)) {
        const score = Math.round(rng.next() * 1000) / 1000;
        add('fraud-checks', t + this.delay(o.delays.fraudCheck), 'fc', {
          score,
          verdict: score > 0.93 ? 'review' : 'approve',
        });
      }
      if (!rng.chance(o.missing.inventory)) {
        // the delay is drawn before the warehouse, as before the manifest recorded it
        const reservedAt = t + this.delay(o.delays.inventory);
        const warehouse = rng.pick(WAREHOUSES);
        line.warehouse = warehouse;
        add('inventory-reservations', reservedAt, 'inv', {
          warehouse,
          skus: items.map((i) => i.sku),
        });
        const shippedAt = t + this.delay(o.delays.shipment);
        add('shipments', shippedAt, 'shp', { carrier: rng.pick(CARRIERS), trackingNumber: `trk-${seq}` });
        if (!rng.chance(o.missing.delivery)) {
          add('deliveries', shippedAt + this.delay(o.delays.delivery), 'dlv', {
            signedBy: rng.chance(0.6) ? 'recipient' : null,
          });
        }
      }
    }
    const present = new Set(events.map((e) => e.topic));
    line.missing = (
      ['payments', 'fraud-checks', 'inventory-reservations', 'shipments', 'deliveries'] as const
    ).filter((topic) => !present.has(topic));

    let lateTopic: InputTopic | undefined;
    if (!drain && rng.chance(o.lateShare)) {
      const candidates = o.lateTopics.filter((topic) => present.has(topic));
      if (candidates.length) lateTopic = rng.pick(candidates);
    }
    let reordered: InputTopic | undefined;
    if (rng.chance(o.outOfOrderShare)) {
      const candidates = REORDERABLE.filter((topic) => present.has(topic) && topic !== lateTopic);
      if (candidates.length) reordered = rng.pick(candidates);
    }

    for (const e of events) {
      let sendAt = e.ts;
      if (e.topic === lateTopic) {
        const w = firstJoinOf(e.topic, o.windows);
        sendAt = e.ts + w.windowMs + w.graceMs + o.lateMarginMs;
        line.late.push(e.topic);
      } else if (e.topic === reordered) {
        sendAt = e.ts + o.outOfOrderDelayMs;
        line.outOfOrder.push(e.topic);
      }
      line.events[e.topic] = { id: e.fields.id as string, ts: this.startedAt + Math.round(e.ts) };
      if (this.pushSend(sends, e.topic, orderId, e.ts, sendAt, e.fields)) line.malformed.push(e.topic);
    }
    manifest.push(line);
    return { anchor, sends, manifest };
  }

  private planSession(anchor: number, drain: boolean): { sends: PlannedSend[]; line: ManifestSession } {
    const { rng, o } = this;
    const seq = this.sessionSeq++;
    const sessionId = `s${seq}`;
    const sends: PlannedSend[] = [];
    const line: ManifestSession = {
      kind: 'session',
      seq,
      sessionId,
      drain,
      clicks: [],
      views: [],
      malformed: [],
    };
    if (!rng.chance(o.missing.click)) {
      const ts = anchor + this.delay(o.delays.click);
      const fields = {
        type: EVENT_TYPES['ad-clicks'],
        id: `clk${seq}`,
        sessionId,
        campaignId: `cmp-${rng.int(1, 40)}`,
      };
      line.clicks.push({ id: fields.id, ts: this.startedAt + Math.round(ts) });
      if (this.pushSend(sends, 'ad-clicks', sessionId, ts, ts, fields)) line.malformed.push('ad-clicks');
    }
    const views = rng.int(o.viewsPerSession[0], o.viewsPerSession[1]);
    for (let k = 0; k < views; k++) {
      const ts = anchor + this.delay(o.delays.view);
      const fields = {
        type: EVENT_TYPES['page-views'],
        id: `pv${seq}.${k}`,
        sessionId,
        url: `${rng.pick(PAGES)}?ref=${rng.int(1, 999)}`,
      };
      line.views.push({ id: fields.id, ts: this.startedAt + Math.round(ts) });
      if (
        this.pushSend(sends, 'page-views', sessionId, ts, ts, fields) &&
        !line.malformed.includes('page-views')
      ) {
        line.malformed.push('page-views');
      }
    }
    return { sends, line };
  }

  /** Adds the send (and maybe a garbled copy right after it); true when a copy was added. */
  private pushSend(
    sends: PlannedSend[],
    topic: InputTopic,
    key: string,
    eventTime: number,
    sendAt: number,
    fields: Record<string, unknown>,
  ): boolean {
    const base = {
      sendAt: Math.round(sendAt),
      eventTime: Math.round(eventTime),
      topic,
      key,
      fields: fields as PlannedSend['fields'],
      payloadLength: payloadLength(sampleRecordSize(this.rng, this.o.recordSize)),
    };
    sends.push({ ...base, malformed: false, seq: this.sendSeq++ });
    if (!this.rng.chance(this.o.malformedShare)) return false;
    sends.push({ ...base, malformed: true, seq: this.sendSeq++ });
    return true;
  }

  private delay([min, max]: Range): number {
    return this.rng.between(min, max);
  }
}
