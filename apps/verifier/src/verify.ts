import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import {
  decodeInput,
  decodeOutput,
  readCreatedAt,
  topicName,
  DEAD_LETTER_TOPIC,
  INPUT_TOPICS,
  decodeWarehouseRevenue,
  WAREHOUSE_REVENUE_TOPIC,
  type WarehouseRevenue,
  type InputTopic,
  type Manifest,
  type ManifestSummary,
  type OutputTopic,
} from '@streamtune/reference-model';
import { LatencyRecorder, type LatencySummary, type TargetCheck, type Targets } from '@streamtune/perf';
import { applyTargets } from './figures';
import { checkRevenue } from './revenue';
import { startVerifierMetrics } from './metrics';
import { expectationsFor, type Mode } from './expectations';
import { readIfFinished, waitForHeader } from './manifest-watch';
import { createKafka, TopicReader, type ReadRecord } from './reader';
import { TopicTally, type Observation, type TopicReport } from './tally';

export interface VerifyOptions {
  manifestPath: string;
  brokers: string[];
  /** Defaults to the prefix the manifest records. */
  topicPrefix: string | undefined;
  mode: Mode;
  /** Logical topics to check; all of the mode's by default. */
  topics: string[] | undefined;
  timeoutMs: number;
  /** Stop once caught up and nothing new arrived for this long. */
  idleTimeoutMs: number;
  /** After completeness is reached, read this much longer to catch duplicates and strays. */
  settleMs: number;
  minCompleteness: number;
  maxUnexpected: number;
  /** Also count records in the dead-letter topic against the manifest's malformed records. */
  checkDeadLetters: boolean;
  latencySource: 'value' | 'header';
  /** Per-component targets (see reportFigures); a missed one fails the run. */
  targets: Targets | undefined;
  reportPath: string | undefined;
  progress: boolean;
  verbose: boolean;
  /** Serve /metrics on this port while running; undefined: no server. */
  metricsPort: number | undefined;
}

export interface VerifierReport {
  verdict: 'pass' | 'fail';
  failures: string[];
  mode: Mode;
  stoppedBecause: 'complete' | 'idle' | 'timeout' | 'aborted';
  manifest: { path: string; seed: string; topicPrefix: string; startedAt: number } & Omit<
    ManifestSummary,
    'kind'
  >;
  topics: TopicReport[];
  endToEnd: {
    /** Latency of the last stage (outputs mode: order-outcomes), from the latest input's creation. */
    latencyMs: LatencySummary;
    /** From the generator's start to the last required result, when every topic completed. */
    timeToCompleteMs: number | undefined;
  };
  deadLetters?: { expectedAtLeast: number; seen: number };
  targets?: TargetCheck[];
  verifier: { startedAt: number; finishedAt: number };
}

/** A failure the CLI prints as one line. */
export class VerifierError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function verify(options: VerifyOptions, signal?: AbortSignal): Promise<VerifierReport> {
  const startedAt = Date.now();
  const header = await waitForHeader(options.manifestPath, Math.min(options.timeoutMs, 60_000));
  const prefix = options.topicPrefix ?? header.topicPrefix;
  const allTopics: string[] =
    options.mode === 'outputs'
      ? [...(Object.keys(header.windows) as OutputTopic[]), ...Object.keys(header.aggregations ?? {})]
      : [...INPUT_TOPICS];
  const logical = options.topics ?? allTopics;
  for (const t of logical) {
    if (!allTopics.includes(t))
      throw new VerifierError(`"${t}" is not one of the ${options.mode} topics: ${allTopics.join(', ')}`);
  }
  const physical = new Map(logical.map((t) => [topicName(t, prefix), t]));
  const deadLetterTopic = topicName(DEAD_LETTER_TOPIC, prefix);

  const kafka = createKafka(options.brokers, options.verbose);
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (err) {
    throw new VerifierError(
      `cannot reach Kafka at ${options.brokers.join(',')} (${(err as Error).message}); start it with "npm run kafka:start" or set KAFKA_BROKERS / --brokers`,
    );
  }
  const existing = new Set(await admin.listTopics());
  const absent = [...physical.keys()].filter((t) => !existing.has(t));
  if (options.checkDeadLetters && !existing.has(deadLetterTopic)) absent.push(deadLetterTopic);
  if (absent.length) {
    await admin.disconnect();
    throw new VerifierError(
      `topic(s) ${absent.join(', ')} do not exist; check --topic-prefix (manifest says "${header.topicPrefix}")`,
    );
  }

  // observations wait here until the manifest is complete and expectations are known
  const pending: Observation[] = [];
  let tallies: Map<string, TopicTally> | undefined;
  let manifest: Manifest | undefined;
  let lastArrival = Date.now();
  let deadLetters = 0;
  const revenueSeen: WarehouseRevenue[] = [];
  // shown while the generator is still running and the expectations are not known yet
  const live = { records: 0, latency: new LatencyRecorder() };
  const observe = (r: ReadRecord) => {
    lastArrival = r.arrivalMs;
    if (r.topic === deadLetterTopic) {
      deadLetters++;
      return;
    }
    const o = toObservation(physical.get(r.topic) as string, r, options);
    if (o.revenue) revenueSeen.push(o.revenue);
    live.records++;
    if (!o.backlog && o.latencyMs !== undefined) live.latency.recordMs(o.latencyMs);
    if (tallies) tallies.get(o.topic)?.add(o);
    else pending.push(o);
  };
  const metrics =
    options.metricsPort !== undefined
      ? await startVerifierMetrics(options.metricsPort, () => ({ live, tallies }))
      : undefined;
  const reader = new TopicReader(
    kafka,
    admin,
    [...physical.keys(), ...(options.checkDeadLetters ? [deadLetterTopic] : [])],
    header.startedAt,
    observe,
  );
  let stoppedBecause: VerifierReport['stoppedBecause'] = 'timeout';
  try {
    await reader.start();
    let completeSince: number | undefined;
    let lastProgress = 0;
    while (Date.now() - startedAt < options.timeoutMs) {
      if (signal?.aborted) {
        stoppedBecause = 'aborted';
        break;
      }
      await sleep(500);
      if (!manifest) {
        manifest = await readIfFinished(options.manifestPath);
        if (manifest) {
          const expected = expectationsFor(manifest, options.mode);
          tallies = new Map(logical.map((t) => [t, new TopicTally(t, expected.get(t) ?? [])]));
          for (const o of pending.splice(0)) tallies.get(o.topic)?.add(o);
        }
      }
      const now = Date.now();
      if (options.progress && now - lastProgress >= (process.stderr.isTTY ? 1_000 : 5_000)) {
        lastProgress = now;
        printProgress(now - startedAt, tallies, live);
      }
      if (!tallies) continue;
      const complete = [...tallies.values()].every((t) => t.complete);
      if (complete) {
        completeSince ??= now;
        if (now - completeSince >= options.settleMs && (await reader.caughtUp())) {
          stoppedBecause = 'complete';
          break;
        }
      } else if (now - lastArrival >= options.idleTimeoutMs && (await reader.caughtUp())) {
        stoppedBecause = 'idle';
        break;
      }
    }
  } finally {
    if (options.progress && process.stderr.isTTY) process.stderr.write('\n');
    await reader.stop();
    await admin.disconnect().catch(() => undefined);
    await metrics?.close();
  }
  if (!manifest || !tallies) {
    throw new VerifierError(
      `the manifest ${options.manifestPath} has no summary line yet: the load generator did not finish`,
    );
  }
  let report = buildReport(options, manifest, tallies, stoppedBecause, startedAt, deadLetters);
  if (tallies.has(WAREHOUSE_REVENUE_TOPIC)) report = checkRevenue(report, manifest, revenueSeen);
  if (options.targets) report = applyTargets(report, options.targets);
  if (options.reportPath) await writeFile(options.reportPath, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

function toObservation(topic: string, r: ReadRecord, options: VerifyOptions): Observation {
  let id: string | undefined;
  let createdAt: number | undefined;
  let invalidReason: string | undefined;
  let revenue: WarehouseRevenue | undefined;
  try {
    const value =
      topic === WAREHOUSE_REVENUE_TOPIC
        ? decodeWarehouseRevenue(r.value)
        : options.mode === 'outputs'
          ? decodeOutput(topic as OutputTopic, r.value)
          : decodeInput(topic as InputTopic, r.value);
    id = value.id;
    createdAt = value.createdAt;
    if (topic === WAREHOUSE_REVENUE_TOPIC) revenue = value as WarehouseRevenue;
  } catch (err) {
    invalidReason = (err as Error).message;
  }
  const fingerprint =
    id === undefined
      ? `${r.partition}/${r.key ?? ''}@${r.timestamp}:${createHash('sha1')
          .update(r.value ?? Buffer.alloc(0))
          .digest('hex')
          .slice(0, 12)}`
      : undefined;
  const fromHeader = readCreatedAt(r.headers);
  const created = options.latencySource === 'header' ? (fromHeader ?? createdAt) : (createdAt ?? fromHeader);
  return {
    topic,
    id,
    ...(revenue ? { revenue } : {}),
    ...(invalidReason ? { invalidReason } : {}),
    ...(fingerprint ? { fingerprint } : {}),
    arrivalMs: r.arrivalMs,
    latencyMs: created === undefined ? undefined : r.arrivalMs - created,
    backlog: r.backlog,
  };
}

function printProgress(
  elapsedMs: number,
  tallies: Map<string, TopicTally> | undefined,
  live: { records: number; latency: LatencyRecorder },
): void {
  let line = `verifier ${(elapsedMs / 1000).toFixed(0)}s | ${live.records} records`;
  if (live.latency.count) line += ` | p99 ${Math.round(live.latency.percentileMs(99))} ms`;
  if (!tallies) line += ' | waiting for the load generator to finish';
  else {
    const list = [...tallies.values()];
    const done = list.filter((t) => t.complete).length;
    const lowest = list.reduce((a, b) => (b.completeness < a.completeness ? b : a));
    line += ` | ${done}/${list.length} topics complete | lowest ${lowest.topic} ${(lowest.completeness * 100).toFixed(1)}%`;
  }
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}`);
  else process.stderr.write(`${line}\n`);
}

export function buildReport(
  options: Pick<
    VerifyOptions,
    'manifestPath' | 'mode' | 'minCompleteness' | 'maxUnexpected' | 'checkDeadLetters'
  >,
  manifest: Manifest,
  tallies: Map<string, TopicTally>,
  stoppedBecause: VerifierReport['stoppedBecause'],
  startedAt: number,
  deadLetters: number,
): VerifierReport {
  const topics = [...tallies.values()].map((t) => t.report());
  const failures: string[] = [];
  for (const t of topics) {
    if (t.completeness < options.minCompleteness) {
      failures.push(
        `${t.topic}: completeness ${(t.completeness * 100).toFixed(2)}% < ${(options.minCompleteness * 100).toFixed(2)}% (${t.missing} missing)`,
      );
    }
    if (t.unexpected > options.maxUnexpected)
      failures.push(`${t.topic}: ${t.unexpected} unexpected result(s)`);
    if (options.mode === 'outputs' && t.invalid > 0)
      failures.push(`${t.topic}: ${t.invalid} record(s) that do not decode`);
  }
  const summary = manifest.summary as ManifestSummary;
  const malformed = Object.values(summary.malformed).reduce((a, b) => a + (b ?? 0), 0);
  if (options.mode === 'inputs') {
    for (const t of topics) {
      const want = summary.malformed[t.topic as InputTopic] ?? 0;
      if (t.invalid !== want)
        failures.push(`${t.topic}: ${t.invalid} malformed record(s) read, the manifest says ${want}`);
    }
  }
  if (options.checkDeadLetters && deadLetters < malformed) {
    failures.push(`dead letters: ${deadLetters} record(s), the generator sent ${malformed} malformed`);
  }
  if (stoppedBecause === 'aborted') failures.push('interrupted before the check finished');
  const last = options.mode === 'outputs' ? tallies.get('order-outcomes') : undefined;
  // a result that waited in the topic for the verifier to start says nothing about the pipeline's speed
  const completedAll =
    topics.every((t) => t.required === 0 || t.completedAt !== undefined) &&
    topics.every((t) => t.backlogRecords === 0);
  const completedAt = Math.max(0, ...topics.map((t) => t.completedAt ?? 0));
  const { kind: _kind, ...counts } = summary;
  return {
    verdict: failures.length ? 'fail' : 'pass',
    failures,
    mode: options.mode,
    stoppedBecause,
    manifest: {
      path: options.manifestPath,
      seed: manifest.header.seed,
      topicPrefix: manifest.header.topicPrefix,
      startedAt: manifest.header.startedAt,
      ...counts,
    },
    topics,
    endToEnd: {
      latencyMs: (last?.latencyRecorder() ?? new LatencyRecorder()).summary(),
      timeToCompleteMs: completedAll && completedAt > 0 ? completedAt - manifest.header.startedAt : undefined,
    },
    ...(options.checkDeadLetters ? { deadLetters: { expectedAtLeast: malformed, seen: deadLetters } } : {}),
    verifier: { startedAt, finishedAt: Date.now() },
  };
}
