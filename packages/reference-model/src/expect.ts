import { JOINS, type JoinKind, type JoinWindows } from './joins';
import type { Manifest } from './manifest';
import { joinId } from './outputs';
import type { InputTopic, OutputTopic } from './topics';

/** A record as the expectation logic sees it: identity, key, event time. */
interface SimRecord {
  id: string;
  key: string;
  ts: number;
  /** Touches a drain order/session: produced but not required. */
  drain: boolean;
  orderId?: string;
  sessionId?: string | null;
}

export interface ExpectedResult {
  id: string;
  key: string;
  /** The result's timestamp as Kafka Streams sets it: max of the joined records, or the one side's. */
  ts: number;
  /** False for results that involve drain traffic: they may or may not arrive. */
  required: boolean;
  /** `both`, or which side stood alone (left/outer joins). */
  sides: 'both' | 'left' | 'right';
}

export type Expectations = Record<OutputTopic, ExpectedResult[]>;

/**
 * Pairs of records with the same key whose timestamps differ by at most
 * `windowMs` (inclusive, as JoinWindows), plus the unmatched sides the join
 * kind emits. Late records must already be removed.
 */
export function simulateJoin(
  left: SimRecord[],
  right: SimRecord[],
  kind: JoinKind,
  windowMs: number,
): (SimRecord & { sides: ExpectedResult['sides'] })[] {
  const rightByKey = new Map<string, SimRecord[]>();
  for (const r of right) {
    const list = rightByKey.get(r.key);
    if (list) list.push(r);
    else rightByKey.set(r.key, [r]);
  }
  // sorted by time, so each left record scans only its window even when a key repeats all run long
  for (const list of rightByKey.values()) list.sort((a, b) => a.ts - b.ts);
  const out: (SimRecord & { sides: ExpectedResult['sides'] })[] = [];
  const matchedRight = new Set<SimRecord>();
  for (const l of left) {
    let matched = false;
    const candidates = rightByKey.get(l.key) ?? [];
    for (let i = firstAtOrAfter(candidates, l.ts - windowMs); i < candidates.length; i++) {
      const r = candidates[i] as SimRecord;
      if (r.ts > l.ts + windowMs) break;
      matched = true;
      matchedRight.add(r);
      out.push({
        ...l,
        id: joinId(l.id, r.id),
        ts: Math.max(l.ts, r.ts),
        drain: l.drain || r.drain,
        sides: 'both',
      });
    }
    if (!matched && kind !== 'inner') out.push({ ...l, id: joinId(l.id, null), sides: 'left' });
  }
  if (kind === 'outer') {
    for (const r of right) {
      if (!matchedRight.has(r)) out.push({ ...r, id: joinId(null, r.id), sides: 'right' });
    }
  }
  return out;
}

/**
 * The input records of a manifest. With `dropLate`, records sent later than
 * window + grace are left out, as a join that has moved past them would.
 */
export function manifestInputs(
  manifest: Manifest,
  dropLate: boolean,
  only?: { orderIds: Set<string>; sessionIds: Set<string> },
): Record<InputTopic, SimRecord[]> {
  const inputs: Record<InputTopic, SimRecord[]> = {
    orders: [],
    payments: [],
    'fraud-checks': [],
    'inventory-reservations': [],
    shipments: [],
    deliveries: [],
    'ad-clicks': [],
    'page-views': [],
  };
  for (const o of manifest.orders) {
    if (only && !only.orderIds.has(o.orderId)) continue;
    for (const [topic, ev] of Object.entries(o.events) as [InputTopic, { id: string; ts: number }][]) {
      if (dropLate && o.late.includes(topic)) continue;
      inputs[topic].push({
        id: ev.id,
        key: o.orderId,
        ts: ev.ts,
        drain: o.drain,
        orderId: o.orderId,
        sessionId: o.sessionId,
      });
    }
  }
  for (const s of manifest.sessions) {
    if (only && !only.sessionIds.has(s.sessionId)) continue;
    for (const c of s.clicks)
      inputs['ad-clicks'].push({ id: c.id, key: s.sessionId, ts: c.ts, drain: s.drain });
    for (const v of s.views)
      inputs['page-views'].push({ id: v.id, key: s.sessionId, ts: v.ts, drain: s.drain });
  }
  return inputs;
}

type World = Map<string, (SimRecord & { sides: ExpectedResult['sides'] })[]>;

/** Runs the eight joins over a set of input records. */
function runJoins(inputs: Record<InputTopic, SimRecord[]>, windows: JoinWindows): World {
  const streams: World = new Map(
    Object.entries(inputs).map(([t, list]) => [t, list.map((r) => ({ ...r, sides: 'both' as const }))]),
  );
  for (const join of JOINS) {
    let left: SimRecord[] = streams.get(join.left) ?? [];
    const right = streams.get(join.right) ?? [];
    if (join.rekeyLeftBy === 'sessionId') {
      // orders outside a session are filtered before re-keying (isAttributable)
      left = left.filter((r) => r.sessionId).map((r) => ({ ...r, key: r.sessionId as string }));
    }
    let results = simulateJoin(left, right, join.kind, windows[join.output].windowMs);
    if (join.outputKey === 'orderId') results = results.map((r) => ({ ...r, key: r.orderId ?? r.key }));
    streams.set(join.output, results);
  }
  return streams;
}

/**
 * Every result the eight joins may produce for a manifest, computed with the
 * same windows the services use: inner pairs, left results for unmatched left
 * records, and both unmatched sides for the outer join.
 *
 * A record sent beyond window + grace is normally lost to its join (Kafka
 * Streams no longer finds its partner once the partner's store has expired it),
 * but how long a store keeps records is a segment-sized implementation detail.
 * So results are computed in two worlds, late records dropped and late records
 * on time: results of both worlds are required, those of one world only are
 * allowed but not required. Results involving drain traffic are never required.
 */
export function expectedResults(
  manifest: Manifest,
  windows: JoinWindows = manifest.header.windows,
): Expectations {
  const dropped = runJoins(manifestInputs(manifest, true), windows);
  // the other world only differs for the keys that have late records: compute it for those alone
  const lateOrders = manifest.orders.filter((o) => o.late.length > 0);
  const orderIds = new Set(lateOrders.map((o) => o.orderId));
  // every order under an affected key (keys may be reused) brings its session along
  const sessionIds = new Set(
    manifest.orders.flatMap((o) => (o.sessionId && orderIds.has(o.orderId) ? [o.sessionId] : [])),
  );
  const affected = { orderIds, sessionIds };
  const onTime = lateOrders.length ? runJoins(manifestInputs(manifest, false, affected), windows) : new Map();
  const expectations = {} as Expectations;
  for (const join of JOINS) {
    const a = dropped.get(join.output) ?? [];
    const b: SimRecord[] = onTime.get(join.output) ?? [];
    const inA = new Set(a.map((r) => r.id));
    const inB = new Set(b.map((r) => r.id));
    const isAffected = (r: SimRecord) => r.orderId !== undefined && affected.orderIds.has(r.orderId);
    const results = [...a, ...(b as typeof a).filter((r) => !inA.has(r.id))];
    expectations[join.output] = results.map((r) => ({
      id: r.id,
      key: r.key,
      ts: r.ts,
      required: !r.drain && inA.has(r.id) && (!isAffected(r) || inB.has(r.id)),
      sides: r.sides,
    }));
  }
  return expectations;
}

/** Index of the first record with ts >= `ts` in a list sorted by ts. */
function firstAtOrAfter(sorted: SimRecord[], ts: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as SimRecord).ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
