import { JOINS } from '@streamtune/reference-model';
import type { ServiceRow } from './live';
import { clock, describePhase, type Phase } from './phase';

export interface ViewInput {
  elapsedMs: number;
  phase: Phase;
  services: Map<string, ServiceRow>;
  loadgen: string;
  verifier: string;
  /** What happened to the processes (crashes, restarts), oldest first. */
  events: string[];
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
  lines.push(`streamtune demo  ${clock(v.elapsedMs)}  ${describePhase(v.phase)}`);
  lines.push('');
  lines.push(`${pad('stage (output)', 20)}${pad('service', 13)}${lpad('records', 9)}${lpad('rec/s', 8)}`);
  for (const join of JOINS) {
    const sent = v.services.get(join.service)?.sent.get(join.output);
    lines.push(
      `${pad(join.output, 20)}${pad(join.service, 13)}${lpad(String(sent?.total ?? 0), 9)}${lpad((sent?.rate ?? 0).toFixed(0), 8)}`,
    );
  }
  lines.push('');
  lines.push(
    `${pad('service', 13)}${pad('state', 13)}${lpad('restarts', 9)}${lpad('in rec/s', 9)}${lpad('p99 proc', 10)}${lpad('lag', 8)}${lpad('rss', 9)}${lpad('dead-l.', 8)}${lpad('dropped', 8)}`,
  );
  for (const [name, s] of v.services) {
    lines.push(
      `${pad(name, 13)}${pad(s.state, 13)}${lpad(String(s.restarts), 9)}${lpad(s.inRate.toFixed(0), 9)}${lpad(ms(s.p99Ms), 10)}` +
        `${lpad(s.lag === undefined ? '-' : String(s.lag), 8)}${lpad(mb(s.rssBytes), 9)}${lpad(String(s.deadLetters), 8)}${lpad(String(s.dropped), 8)}`,
    );
  }
  lines.push('');
  lines.push(`loadgen   ${v.loadgen || '-'}`);
  lines.push(`verifier  ${v.verifier || '-'}`);
  // the last few only: the block is redrawn in place and must fit a terminal
  for (const e of v.events.slice(-5)) lines.push(e);
  for (const n of v.notes) lines.push(n);
  return lines.join('\n');
}
