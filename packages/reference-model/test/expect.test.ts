import { describe, expect, it } from 'vitest';
import {
  DEFAULT_JOIN_WINDOWS,
  expectedResults,
  joinId,
  maxEmitDelayMs,
  parseManifestLines,
  simulateJoin,
  type InputTopic,
  type Manifest,
  type ManifestOrder,
  type ManifestSession,
} from '../src/index';

const T0 = 1_700_000_000_000;

function manifestOf(lines: (ManifestOrder | ManifestSession)[]): Manifest {
  return parseManifestLines([
    JSON.stringify({
      kind: 'header',
      version: 1,
      seed: 't',
      topicPrefix: '',
      partitions: 1,
      startedAt: T0,
      windows: DEFAULT_JOIN_WINDOWS,
      options: {},
    }),
    ...lines.map((l) => JSON.stringify(l)),
  ]);
}

const ALL: InputTopic[] = [
  'orders',
  'payments',
  'fraud-checks',
  'inventory-reservations',
  'shipments',
  'deliveries',
];
const PREFIX: Record<string, string> = {
  orders: 'ord',
  payments: 'pay',
  'fraud-checks': 'fc',
  'inventory-reservations': 'inv',
  shipments: 'shp',
  deliveries: 'dlv',
};

function order(
  seq: number,
  opts: Partial<ManifestOrder> & { without?: InputTopic[]; at?: number } = {},
): ManifestOrder {
  const at = opts.at ?? T0 + seq * 100;
  const events: ManifestOrder['events'] = {};
  ALL.filter((t) => !opts.without?.includes(t)).forEach((t, i) => {
    events[t] = { id: `${PREFIX[t]}${seq}`, ts: at + i * 200 };
  });
  return {
    kind: 'order',
    seq,
    orderId: `o${seq}`,
    sessionId: opts.sessionId === undefined ? `s${seq}` : opts.sessionId,
    drain: opts.drain ?? false,
    events,
    missing: opts.without ?? [],
    late: opts.late ?? [],
    outOfOrder: [],
    malformed: [],
  };
}

function session(seq: number, clicks: number, views: number, at = T0 + seq * 100 - 3_000): ManifestSession {
  return {
    kind: 'session',
    seq,
    sessionId: `s${seq}`,
    drain: false,
    clicks: Array.from({ length: clicks }, (_, k) => ({ id: `clk${seq}.${k}`, ts: at })),
    views: Array.from({ length: views }, (_, k) => ({ id: `pv${seq}.${k}`, ts: at + 500 + k * 100 })),
    malformed: [],
  };
}

const ids = (list: { id: string }[]) => list.map((r) => r.id).sort();

describe('simulateJoin', () => {
  const rec = (id: string, ts: number, key = 'k') => ({ id, key, ts, drain: false });

  it('joins records whose timestamps differ by at most the window, inclusive', () => {
    const out = simulateJoin([rec('a', 1_000)], [rec('b', 6_000), rec('c', 6_001)], 'inner', 5_000);
    expect(ids(out)).toEqual([joinId('a', 'b')]);
    expect(out[0]?.ts).toBe(6_000);
  });

  it('emits unmatched left records for left joins and both unmatched sides for outer joins', () => {
    const left = [rec('a', 0), rec('x', 0, 'other')];
    const right = [rec('b', 100), rec('y', 0, 'third')];
    expect(ids(simulateJoin(left, right, 'left', 1_000))).toEqual(
      [joinId('a', 'b'), joinId('x', null)].sort(),
    );
    expect(ids(simulateJoin(left, right, 'outer', 1_000))).toEqual(
      [joinId('a', 'b'), joinId('x', null), joinId(null, 'y')].sort(),
    );
  });

  it('does not emit a left-only result for a left record that joined', () => {
    const out = simulateJoin([rec('a', 0)], [rec('b', 0), rec('c', 50_000)], 'left', 1_000);
    expect(ids(out)).toEqual([joinId('a', 'b')]);
  });
});

describe('expectedResults', () => {
  it('gives a complete order one result in each order output and sessions their click x view pairs', () => {
    const e = expectedResults(manifestOf([session(1, 1, 2), order(1)]));
    expect(e['orders-paid'].map((r) => r.id)).toEqual(['[ord1+pay1]']);
    expect(e['orders-screened'].map((r) => r.id)).toEqual(['[[ord1+pay1]+fc1]']);
    expect(e['orders-fulfilled']).toHaveLength(1);
    expect(e['orders-fulfilled'][0]?.id).toBe('[[[[[ord1+pay1]+fc1]+inv1]+shp1]+dlv1]');
    expect(e['engaged-sessions']).toHaveLength(2);
    expect(e['attributed-orders']).toHaveLength(2);
    expect(e['attributed-orders'].every((r) => r.key === 'o1' && r.sides === 'both')).toBe(true);
    expect(e['order-outcomes']).toHaveLength(2);
    expect(e['order-outcomes'].every((r) => r.sides === 'both' && r.required)).toBe(true);
  });

  it('keeps left results for missing fraud checks, deliveries and clicks', () => {
    const e = expectedResults(
      manifestOf([session(1, 0, 1), order(1, { without: ['fraud-checks', 'deliveries'] })]),
    );
    expect(e['orders-screened'].map((r) => [r.id, r.sides])).toEqual([['[[ord1+pay1]+_]', 'left']]);
    expect(e['orders-fulfilled'][0]?.id).toMatch(/\+_\]$/);
    expect(e['engaged-sessions']).toHaveLength(0);
    expect(e['attributed-orders'].map((r) => r.id)).toEqual(['[ord1+_]']);
  });

  it('does not require what a late payment changes, and still requires what it cannot change', () => {
    const e = expectedResults(manifestOf([session(1, 1, 1), order(1, { late: ['payments'] })]));
    // dropped or joined late: both are allowed, neither is required
    expect(e['orders-paid'].map((r) => [r.id, r.required])).toEqual([['[ord1+pay1]', false]]);
    expect(e['orders-fulfilled'].every((r) => !r.required)).toBe(true);
    expect(e['order-outcomes'].map((r) => r.sides).sort()).toEqual(['both', 'left']);
    expect(e['order-outcomes'].every((r) => !r.required)).toBe(true);
    expect(e['attributed-orders'].map((r) => r.required)).toEqual([true]);
    expect(e['engaged-sessions'].map((r) => r.required)).toEqual([true]);
  });

  it('never attributes orders without a session: their outcome is fulfilment only', () => {
    const e = expectedResults(manifestOf([order(1, { sessionId: null })]));
    expect(e['attributed-orders']).toHaveLength(0);
    expect(e['order-outcomes'].map((r) => [r.sides, r.key])).toEqual([['right', 'o1']]);
  });

  it('marks results that involve drain traffic as not required', () => {
    const e = expectedResults(manifestOf([order(1, { drain: true }), order(2)]));
    const paid = e['orders-paid'];
    expect(paid.find((r) => r.key === 'o1')?.required).toBe(false);
    expect(paid.find((r) => r.key === 'o2')?.required).toBe(true);
  });

  it('joins orders that share a key when their events fall into one window', () => {
    const a = order(1, { at: T0 });
    const b = { ...order(2, { at: T0 + 1_000 }), orderId: 'o1', sessionId: null };
    const e = expectedResults(manifestOf([{ ...a, sessionId: null }, b]));
    // two orders x two payments within 5 s of each other
    expect(e['orders-paid']).toHaveLength(4);
  });
});

describe('maxEmitDelayMs', () => {
  it('adds window + grace of each left/outer join on the longest path', () => {
    const w = DEFAULT_JOIN_WINDOWS;
    const attributed = w['attributed-orders'].windowMs + w['attributed-orders'].graceMs;
    const fulfilled =
      w['orders-screened'].windowMs +
      w['orders-screened'].graceMs +
      w['orders-fulfilled'].windowMs +
      w['orders-fulfilled'].graceMs;
    const outcomes = w['order-outcomes'].windowMs + w['order-outcomes'].graceMs;
    expect(maxEmitDelayMs(w)).toBe(Math.max(attributed, fulfilled) + outcomes);
  });
});
