import {
  checkRevenueWindow,
  expectedResults,
  expectedWarehouseRevenue,
  type Manifest,
  type WarehouseRevenue,
} from '@streamtune/reference-model';
import type { VerifierReport } from './verify';

export interface RevenueCheck {
  /** Windows the manifest implies; those with a required result must arrive. */
  expectedWindows: number;
  requiredWindows: number;
  /** Windows whose every result is required: their counts must match exactly. */
  exactWindows: number;
  /** Distinct windows read. */
  seenWindows: number;
  /** Windows read whose order count or revenue is off (exact, or outside the optional range). */
  mismatched: number;
  mismatchSamples: string[];
}

/**
 * Checks the values of the windowed aggregation's final results: each window read must
 * count the orders and revenue its confirmed orders add up to, exactly when every one of
 * them is required, within what optional ones may add otherwise. Completeness and
 * duplicates (one final result per window) are the topic tally's part.
 */
export function checkRevenue(
  report: VerifierReport,
  manifest: Manifest,
  seen: readonly WarehouseRevenue[],
): VerifierReport & { revenue: RevenueCheck } {
  const expected = new Map(
    expectedWarehouseRevenue(manifest, expectedResults(manifest)['orders-confirmed']).map((w) => [w.id, w]),
  );
  const first = new Map<string, WarehouseRevenue>();
  for (const w of seen) if (!first.has(w.id)) first.set(w.id, w);
  const mismatches: string[] = [];
  for (const got of first.values()) {
    const want = expected.get(got.id);
    if (!want) continue; // an unexpected window: the tally counts it
    const problem = checkRevenueWindow(want, got);
    if (problem) mismatches.push(problem);
  }
  const all = [...expected.values()];
  const revenue: RevenueCheck = {
    expectedWindows: all.length,
    requiredWindows: all.filter((w) => w.required).length,
    exactWindows: all.filter((w) => w.optionalOrders === 0).length,
    seenWindows: first.size,
    mismatched: mismatches.length,
    mismatchSamples: mismatches.slice(0, 10),
  };
  const failures = mismatches.length
    ? [
        ...report.failures,
        `warehouse-revenue: ${mismatches.length} window(s) with wrong counts, e.g. ${mismatches[0]}`,
      ]
    : report.failures;
  return { ...report, failures, verdict: failures.length ? 'fail' : 'pass', revenue };
}
