import type { VerifierReport } from './verify';

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)}s` : `${v.toFixed(v < 10 ? 2 : 0)}ms`);

/** The report as a table for the terminal; the JSON file has everything. */
export function formatReport(r: VerifierReport): string {
  const head = [
    'topic',
    'required',
    'received',
    'complete',
    'missing',
    'dup',
    'unexp',
    'invalid',
    'p50',
    'p99',
    'p999',
    'rec/s',
  ];
  const rows = r.topics.map((t) => [
    t.topic,
    String(t.required),
    String(t.received),
    pct(t.completeness),
    String(t.missing),
    String(t.duplicates),
    String(t.unexpected),
    String(t.invalid),
    t.latencyMs.count ? ms(t.latencyMs.p50) : '-',
    t.latencyMs.count ? ms(t.latencyMs.p99) : '-',
    t.latencyMs.count ? ms(t.latencyMs.p999) : '-',
    String(Math.round(t.throughput.perSecond)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const fmt = (row: string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const lines = [
    `verifier (${r.mode}): ${r.manifest.measuredOrders} orders checked, seed "${r.manifest.seed}", stopped: ${r.stoppedBecause}`,
    fmt(head),
    ...rows.map(fmt),
  ];
  const e2e = r.endToEnd;
  if (e2e.latencyMs.count) {
    lines.push(
      `end to end (order-outcomes): p50 ${ms(e2e.latencyMs.p50)}  p99 ${ms(e2e.latencyMs.p99)}  p999 ${ms(e2e.latencyMs.p999)}`,
    );
  }
  if (e2e.timeToCompleteMs !== undefined) lines.push(`time to complete: ${ms(e2e.timeToCompleteMs)}`);
  const backlog = r.topics.reduce((s, t) => s + t.backlogRecords, 0);
  if (backlog)
    lines.push(`(${backlog} records were already in the topics at start: not in the latency figures)`);
  if (r.deadLetters)
    lines.push(
      `dead letters: ${r.deadLetters.seen} (generator sent ${r.deadLetters.expectedAtLeast} malformed)`,
    );
  for (const t of r.topics) {
    if (t.missingSamples.length)
      lines.push(`  ${t.topic} missing e.g. ${t.missingSamples.slice(0, 3).join(' ')}`);
    if (t.unexpectedSamples.length)
      lines.push(`  ${t.topic} unexpected e.g. ${t.unexpectedSamples.slice(0, 3).join(' ')}`);
  }
  lines.push(r.verdict === 'pass' ? 'PASS' : `FAIL\n  ${r.failures.join('\n  ')}`);
  return lines.join('\n');
}
