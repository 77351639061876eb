import { JOINS } from '@streamtune/reference-model';
import { quantileMs, type ServiceSample } from './scrape';

export interface ViewInput {
  elapsedMs: number;
  phase: string;
  services: Map<string, { now: ServiceSample; before: ServiceSample | undefined; intervalMs: number }>;
  loadgen: string;
  verifier: string;
  notes: string[];
}

const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
const ms = (v: number | undefined) =>
  v === undefined ? '-' : v === Infinity ? '>max' : v < 1 ? `${v.toFixed(2)} ms` : `${Math.round(v)} ms`;
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** The block the demo redraws: stages (output topics), services, then the generator's and verifier's lines. */
export function renderView(v: ViewInput): string {
  const lines: string[] = [];
  const t = Math.round(v.elapsedMs / 1000);
  lines.push(`streamtune demo  ${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s  ${v.phase}`);
  lines.push('');
  lines.push(`${pad('stage (output)', 20)}${pad('service', 13)}${lpad('records', 9)}${lpad('rec/s', 8)}`);
  for (const join of JOINS) {
    const s = v.services.get(join.service);
    const now = s?.now.sentByTopic.get(join.output) ?? 0;
    const before = s?.before?.sentByTopic.get(join.output) ?? now;
    const rate = s && s.intervalMs > 0 ? ((now - before) * 1000) / s.intervalMs : 0;
    lines.push(
      `${pad(join.output, 20)}${pad(join.service, 13)}${lpad(String(now), 9)}${lpad(rate.toFixed(0), 8)}`,
    );
  }
  lines.push('');
  lines.push(
    `${pad('service', 13)}${pad('state', 13)}${lpad('in rec/s', 9)}${lpad('p99 proc', 10)}${lpad('lag', 8)}${lpad('rss', 9)}${lpad('dead-l.', 8)}${lpad('dropped', 8)}`,
  );
  for (const [name, s] of v.services) {
    const rate =
      s.before && s.intervalMs > 0 ? ((s.now.processed - s.before.processed) * 1000) / s.intervalMs : 0;
    lines.push(
      `${pad(name, 13)}${pad(s.now.state, 13)}${lpad(rate.toFixed(0), 9)}${lpad(ms(quantileMs(s.now.latencyBuckets, s.before?.latencyBuckets, 0.99)), 10)}` +
        `${lpad(String(s.now.lag), 8)}${lpad(mb(s.now.rssBytes), 9)}${lpad(String(s.now.deadLetters), 8)}${lpad(String(s.now.dropped), 8)}`,
    );
  }
  lines.push('');
  lines.push(`loadgen   ${v.loadgen || '-'}`);
  lines.push(`verifier  ${v.verifier || '-'}`);
  for (const n of v.notes) lines.push(n);
  return lines.join('\n');
}
