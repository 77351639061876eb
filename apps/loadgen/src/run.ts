import type { Message, TopicMessages } from 'kafkajs';
import {
  DEFAULT_PARTITIONS,
  MANIFEST_VERSION,
  pipelineTopicList,
  pipelineTopics,
  revenueWindow,
  WAREHOUSE_REVENUE_TOPIC,
  type InputTopic,
  type ManifestSummary,
} from '@streamtune/reference-model';
import { createKafka, createProducer, ensureTopics, unreachableMessage } from './kafka';
import { ManifestWriter } from './manifest-writer';
import { LoadgenMetrics } from './metrics';
import { validatePlanOptions, type PlanOptions } from './options';
import { Planner } from './plan';
import { ProgressLine } from './progress';
import { toMessage } from './records';
import { SendSchedule } from './schedule';

export interface RunOptions {
  brokers: string[];
  topicPrefix: string;
  partitions: number;
  /** Create missing pipeline topics (inputs, outputs, dead letters) before sending. */
  createTopics: boolean;
  manifestPath: string;
  /** Most records per produce request. */
  maxBatch: number;
  /**
   * Most value bytes per topic in one request: kafkajs puts a partition's records
   * into one record batch, which the broker rejects above message.max.bytes (1 MiB).
   */
  maxBatchBytes: number;
  /** Produce requests awaiting acks at once; above 1 a retry may reorder records within a partition. */
  maxInFlight: number;
  compression: 'none' | 'gzip';
  acks: -1 | 0 | 1;
  progress: boolean;
  verbose: boolean;
  /** Serve /metrics on this port while running; undefined: no server. */
  metricsPort: number | undefined;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  brokers: ['127.0.0.1:9092'],
  topicPrefix: '',
  partitions: DEFAULT_PARTITIONS,
  createTopics: true,
  manifestPath: 'loadgen-manifest.jsonl',
  maxBatch: 1_000,
  maxBatchBytes: 800_000,
  maxInFlight: 1,
  compression: 'none',
  acks: -1,
  progress: true,
  verbose: false,
  metricsPort: undefined,
};

/** A failure the CLI prints as one line (no stack trace). */
export class LoadgenError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Plans and sends a run, writing its manifest as it goes. Stops early (summary marked incomplete) on abort. */
export async function runLoadgen(
  plan: PlanOptions,
  run: RunOptions,
  signal?: AbortSignal,
): Promise<ManifestSummary> {
  validatePlanOptions(plan);
  const kafka = createKafka('streamtune-loadgen', { brokers: run.brokers, verbose: run.verbose });
  const topics = pipelineTopics(run.topicPrefix);
  const admin = kafka.admin();
  try {
    try {
      await admin.connect();
    } catch (err) {
      throw new LoadgenError(unreachableMessage(run.brokers, err));
    }
    if (run.createTopics) {
      await ensureTopics(admin, pipelineTopicList(run.topicPrefix), run.partitions).catch((err: Error) => {
        throw new LoadgenError(`cannot create the pipeline topics (${err.message})`);
      });
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const producer = createProducer(kafka);
  try {
    await producer.connect();
  } catch (err) {
    throw new LoadgenError(unreachableMessage(run.brokers, err));
  }

  const metrics = run.metricsPort !== undefined ? await LoadgenMetrics.start(run.metricsPort) : undefined;
  const startedAt = Date.now();
  const planner = new Planner(plan, startedAt);
  const manifest = new ManifestWriter(run.manifestPath);
  manifest.write({
    kind: 'header',
    version: MANIFEST_VERSION,
    seed: plan.seed,
    topicPrefix: run.topicPrefix,
    partitions: run.partitions,
    startedAt,
    windows: plan.windows,
    aggregations: { [WAREHOUSE_REVENUE_TOPIC]: revenueWindow(plan.windows) },
    options: { ...plan, windows: undefined },
    drainMs: planner.drainMs,
  });
  const counts = {
    produced: {} as Record<string, number>,
    malformed: {} as Record<string, number>,
    late: {} as Record<string, number>,
  };
  let drainOrders = 0;
  const schedule = new SendSchedule(planner, (line) => {
    manifest.write(line);
    if (line.kind === 'order') {
      if (line.drain) drainOrders++;
      for (const t of line.late) counts.late[t] = (counts.late[t] ?? 0) + 1;
    }
  });
  const progress = new ProgressLine(run.progress);
  const target = plan.orders !== undefined ? `/${plan.orders}` : ` in ${(plan.durationMs ?? 0) / 1000}s`;
  let records = 0;
  let malformed = 0;
  let behindMs = 0;
  let complete = true;
  const compression = run.compression === 'gzip' ? 1 : 0;
  let summary: ManifestSummary | undefined;
  const inFlight: Promise<unknown>[] = [];

  try {
    for (;;) {
      if (signal?.aborted) {
        complete = false;
        break;
      }
      const now = Date.now() - startedAt;
      const byTopic = new Map<string, Message[]>();
      const bytes = new Map<string, number>();
      let n = 0;
      let full = false;
      for (
        let s = schedule.takeDue(now);
        s;
        s = n < run.maxBatch && !full ? schedule.takeDue(now) : undefined
      ) {
        const topic = topics.inputs[s.topic];
        const list = byTopic.get(topic) ?? [];
        const message = toMessage(s, startedAt, Date.now());
        list.push(message);
        byTopic.set(topic, list);
        const size = (bytes.get(topic) ?? 0) + (message.value as Buffer).length;
        bytes.set(topic, size);
        full = size >= run.maxBatchBytes;
        n++;
        behindMs = now - s.sendAt;
        const key = s.topic as InputTopic;
        if (s.malformed) {
          malformed++;
          counts.malformed[key] = (counts.malformed[key] ?? 0) + 1;
        } else {
          records++;
          counts.produced[key] = (counts.produced[key] ?? 0) + 1;
        }
      }
      if (n === 0) {
        const next = schedule.peekAt();
        if (next === undefined) break;
        behindMs = 0;
        await sleep(Math.max(1, Math.min(next - now, 100)));
      } else {
        const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
        const request = producer.sendBatch({ topicMessages, acks: run.acks, compression });
        // a rejection surfaces when awaited below; until then keep it from counting as unhandled
        request.catch(() => undefined);
        inFlight.push(request);
        if (inFlight.length >= run.maxInFlight) await inFlight.shift();
      }
      metrics?.update({
        produced: counts.produced,
        malformed: counts.malformed,
        late: counts.late,
        measuredOrders: planner.measuredOrders,
        drainOrders,
        behindMs,
      });
      progress.update({
        elapsedMs: Date.now() - startedAt,
        records,
        malformed,
        late: Object.values(counts.late).reduce((a, b) => a + b, 0),
        measuredOrders: planner.measuredOrders,
        drainOrders,
        behindMs,
        phase: planner.nextAnchor() === Infinity ? 'tail' : drainOrders > 0 ? 'drain' : 'orders',
        pending: schedule.pending,
        target,
      });
    }
    await Promise.all(inFlight);
  } catch (err) {
    complete = false;
    throw err;
  } finally {
    progress.done();
    summary = {
      kind: 'summary',
      finishedAt: Date.now(),
      produced: counts.produced,
      malformed: counts.malformed,
      late: counts.late,
      orders: planner.plannedOrders,
      measuredOrders: planner.measuredOrders,
      sessions: planner.plannedSessions,
      complete,
    };
    manifest.write(summary);
    await manifest.close();
    await producer.disconnect().catch(() => undefined);
    await metrics?.close();
  }
  return summary;
}
