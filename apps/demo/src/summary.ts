import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { Supervisor } from '@streamtune/testkit/harness';
import type { ServiceRow } from './live';

export interface SummaryInput {
  options: Record<string, unknown>;
  startedAt: number;
  exitCode: number;
  brokers: string | undefined;
  infrastructure: string[] | undefined;
  /** The last row of each service that answered at the end. */
  services: Map<string, ServiceRow>;
  lifetimeP99Ms: (service: string) => number | undefined;
  supervisors: Map<string, Supervisor>;
  events: string[];
  files: { verifierReport: string; manifest: string; logs: string };
}

/** summary.json: the run's options, each service's end state and restarts, and the verifier's verdict. */
export async function writeSummary(path: string, s: SummaryInput): Promise<{ verdict: unknown }> {
  let verifierReport: Record<string, unknown> | undefined;
  if (existsSync(s.files.verifierReport))
    verifierReport = JSON.parse(await readFile(s.files.verifierReport, 'utf8')) as Record<string, unknown>;
  const services: Record<string, unknown> = {};
  for (const [name, supervisor] of s.supervisors) {
    const row = s.services.get(name);
    services[name] = {
      state: row?.state ?? supervisor.state,
      restarts: supervisor.restarts,
      crashes: supervisor.crashes.map((c) => ({
        at: new Date(c.at).toISOString(),
        code: c.status.code,
        signal: c.status.signal,
        restarted: c.restarting,
      })),
      ...(row && {
        recordsProcessed: row.processed,
        recordsSentByTopic: Object.fromEntries([...row.sent].map(([t, v]) => [t, v.total])),
        processLatencyP99Ms: s.lifetimeP99Ms(name),
        consumerGroupLagRecords: row.lag,
        residentMemoryBytes: row.rssBytes,
        deadLetters: row.deadLetters,
        droppedRecords: row.dropped,
      }),
    };
  }
  const summary = {
    options: s.options,
    startedAt: new Date(s.startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
    exitCode: s.exitCode,
    brokers: s.brokers,
    infrastructure: s.infrastructure,
    services,
    restarts: [...s.supervisors.values()].reduce((n, sv) => n + sv.restarts, 0),
    events: s.events,
    verdict: verifierReport?.verdict ?? 'none',
    failures: verifierReport?.failures ?? [],
    topics: Array.isArray(verifierReport?.topics)
      ? (verifierReport.topics as Record<string, unknown>[]).map((t) => ({
          topic: t.topic,
          completeness: t.completeness,
          missing: t.missing,
          duplicates: t.duplicates,
          unexpected: t.unexpected,
          latencyMs: t.latencyMs,
        }))
      : [],
    endToEnd: verifierReport?.endToEnd,
    deadLetters: verifierReport?.deadLetters,
    files: s.files,
  };
  await writeFile(path, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
