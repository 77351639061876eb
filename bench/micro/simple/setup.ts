/**
 * SimpleBenchmark's shared ground: the run's context, one result row, topic setup and the
 * input loading both engines read (N records over 10,000 keys, one millisecond apart).
 */
import { randomBytes } from 'node:crypto';
import { kafka } from '../../lib/broker';

export const KEYS = 10_000;
export const PARTITIONS = 12;

export type Engine = 'streamtune' | 'kafka-streams';

export interface CaseResult {
  case: string;
  /** Set on the cases that run on both engines; the client baselines have none. */
  engine?: Engine;
  round: number;
  inputRecords: number;
  outputRecords: number;
  /** From the first record in to the last one counted (steady state). */
  seconds: number;
  recordsPerSec: number;
  mbPerSec: number;
  /** Including client start, group join and, for streams, task creation. */
  secondsWithStartup: number;
  /** One-minute load average when the run started and ended. */
  loadAverage1mAtStart?: number;
  loadAverage1mAtEnd?: number;
  /** Kafka Streams runs: the jar's kafka-streams version and the config it ran with. */
  kafkaStreams?: { version: string; config: Record<string, unknown> };
  error?: string;
}

export interface Ctx {
  brokers: string;
  prefix: string;
  n: number;
  valueSize: number;
  inputA: string;
  inputB: string;
  javaTopic: string;
  /** Records actually in each input topic (a retried send may add a copy). */
  inA: number;
  inB: number;
}

export function result(
  name: string,
  round: number,
  input: number,
  output: number,
  seconds: number,
  withStartup: number,
  valueSize: number,
): CaseResult {
  return {
    case: name,
    round,
    inputRecords: input,
    outputRecords: output,
    seconds,
    recordsPerSec: input / Math.max(seconds, 1e-3),
    mbPerSec: (input * valueSize) / Math.max(seconds, 1e-3) / 1e6,
    secondsWithStartup: withStartup,
  };
}

/** Wall-clock marks of one engine run (epoch ms), the same on both engines. */
export interface EngineMarks {
  startedAt: number;
  firstRecordAt: number;
  /** When the last expected input record was processed; 0 when it never was. */
  lastRecordAt: number;
  closedAt: number;
}

/**
 * One rule for both engines: from the first input record to the last one processed; with a
 * sink, to the end of close (a record is out once the broker has it, and close flushes).
 */
export function engineResult(
  name: string,
  engine: Engine,
  round: number,
  ctx: Ctx,
  counts: { inputs: number; outputs: number },
  marks: EngineMarks,
): CaseResult {
  const end = name === 'streamprocesswithsink' ? marks.closedAt : marks.lastRecordAt || marks.closedAt;
  const first = marks.firstRecordAt || end;
  return {
    ...result(
      name,
      round,
      counts.inputs,
      counts.outputs,
      (end - first) / 1000,
      (end - marks.startedAt) / 1000,
      ctx.valueSize,
    ),
    engine,
  };
}

export async function createTopics(brokers: string, topics: string[]): Promise<void> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

export async function endOffsetsSum(brokers: string, topic: string): Promise<number> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((s, o) => s + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** N records, keys over 10,000, one millisecond apart in event time (a key recurs every 10 s). */
export async function loadInput(ctx: Ctx, topic: string): Promise<CaseResult> {
  const producer = kafka(ctx.brokers).producer({ allowAutoTopicCreation: false });
  const t0 = Date.now();
  await producer.connect();
  const value = randomBytes(ctx.valueSize);
  const base = Date.now() - ctx.n - 60_000;
  const t1 = Date.now();
  const chunk = 500;
  // one request at a time: concurrent sends that time out on a busy broker are retried and duplicate
  for (let i = 0; i < ctx.n; i += chunk) {
    const messages = [];
    for (let j = i; j < Math.min(ctx.n, i + chunk); j++) {
      messages.push({ key: `key-${j % KEYS}`, value, timestamp: String(base + j) });
    }
    await producer.send({ topic, messages, acks: -1 });
  }
  const t2 = Date.now();
  await producer.disconnect();
  return result('kafkajs-produce', 0, ctx.n, ctx.n, (t2 - t1) / 1000, (t2 - t0) / 1000, ctx.valueSize);
}

/** Every topic of the run: inputs, outputs, and both engines' changelogs (`<prefix>-<app>-...`). */
export async function deleteRunTopics(brokers: string, prefix: string): Promise<void> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter(
      (t) => t.startsWith(`${prefix}.`) || t.startsWith(`${prefix}-`),
    );
    if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
