import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKafka, TestTopics, type ConsumedRecord } from '@streamtune/testkit';
import { BatchingProducer } from '../src/client/batching-producer/index';
import { producerConfigSchema, type ProducerConfig } from '../src/config/schema';
import { StreamsEvents } from '../src/observability/index';

const PARTITIONS = 12;
const VALUE_BYTES = 500;
const WARM_UP = 'warm-up';

function config(overrides: Partial<ProducerConfig>): ProducerConfig {
  return producerConfigSchema.parse(overrides);
}

/** `<seq>|` padded to VALUE_BYTES: the sequence number proves order and uniqueness downstream. */
function valueOf(seq: number): Buffer {
  return Buffer.from(`${seq}|`.padEnd(VALUE_BYTES, 'x'));
}

function seqOf(record: ConsumedRecord): number {
  return Number(record.value?.split('|')[0]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RunResult {
  produceRequests: number;
  sendCalls: number;
  batches: number;
  maxBuffered: number;
  failedEvents: number;
}

/**
 * Sends `count` keyed records, `burst` at a time with a 1 ms pause between bursts (a
 * source that delivers records in small polls), then flushes. Returns what was counted.
 */
async function produce(
  topic: string,
  producerConfig: ProducerConfig,
  count: number,
  partitions: number,
  { burst = 25, keys = 97, nullKeys = false } = {},
): Promise<RunResult> {
  const events = new StreamsEvents();
  let batches = 0;
  let failedEvents = 0;
  let maxBuffered = 0;
  events.on('producer.request', (e) => {
    batches++;
    if (e.error) failedEvents++;
  });
  events.on('producer.buffer', (e) => (maxBuffered = Math.max(maxBuffered, e.bufferedBytes)));
  const producer = new BatchingProducer(testKafka('batching-producer-test'), producerConfig, events);
  await producer.connect();
  try {
    const start = Date.now();
    const send = (seq: number) =>
      producer.send({
        topic,
        key: nullKeys ? null : Buffer.from(`key-${seq % keys}`),
        value: valueOf(seq),
        timestamp: start + seq,
      });
    // Right after a topic is created its partitions may still answer NOT_LEADER and kafkajs
    // retries; one record per partition, flushed, keeps that out of what we count.
    for (let partition = 0; partition < partitions; partition++) {
      await producer.send({
        topic,
        partition,
        key: Buffer.from(WARM_UP),
        value: Buffer.from(WARM_UP),
        timestamp: start,
      });
    }
    await producer.flush();
    const before = producer.stats();
    batches = 0;
    for (let seq = 0; seq < count; seq++) {
      await send(seq);
      maxBuffered = Math.max(maxBuffered, producer.bufferedBytes());
      if (burst > 0 && seq % burst === burst - 1) await sleep(1);
    }
    await producer.flush();
    const after = producer.stats();
    expect(after.recordsAcked - before.recordsAcked).toBe(count);
    expect(producer.bufferedBytes()).toBe(0);
    return {
      produceRequests: after.produceRequests - before.produceRequests,
      sendCalls: after.sendCalls - before.sendCalls,
      batches,
      maxBuffered,
      failedEvents,
    };
  } finally {
    await producer.disconnect();
  }
}

/** Every record arrived exactly once, in send order within its partition, one partition per key. */
async function expectExactlyOnceInOrder(
  topics: TestTopics,
  topic: string,
  count: number,
  partitions: number,
): Promise<ConsumedRecord[]> {
  // read the whole log: a warm-up record retried by kafkajs may be in it twice (README)
  const admin = await topics.admin();
  const offsets = await admin.fetchTopicOffsets(topic);
  const logSize = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  const all = await topics.consumeUntil(topic, (r) => r.length >= logSize, { timeoutMs: 60_000 });
  const warmUps = all.filter((r) => r.key === WARM_UP);
  expect(new Set(warmUps.map((r) => r.partition)).size).toBe(partitions);
  const got = all.filter((r) => r.key !== WARM_UP);
  // every measured record is in the log exactly once: nothing duplicated, nothing missing
  expect(got).toHaveLength(count);
  expect(new Set(got.map(seqOf)).size).toBe(count);
  const byPartition = new Map<number, ConsumedRecord[]>();
  for (const r of got) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
  for (const records of byPartition.values()) {
    records.sort((a, b) => Number(a.offset) - Number(b.offset));
    const seqs = records.map(seqOf);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  }
  const partitionOfKey = new Map<string, Set<number>>();
  for (const r of got) {
    if (r.key === null) continue;
    partitionOfKey.set(r.key, (partitionOfKey.get(r.key) ?? new Set()).add(r.partition));
  }
  expect([...partitionOfKey.values()].every((p) => p.size === 1)).toBe(true);
  return got;
}

describe('BatchingProducer against the broker', () => {
  let topics: TestTopics;
  beforeAll(() => {
    topics = new TestTopics('batching-producer');
  });
  afterAll(async () => topics.cleanup());

  it('sends fewer, larger requests as lingerMs grows (counted requests, not timed)', async () => {
    // ~800 KB in all: under maxRequestSize (1 MiB), so one request can carry everything, and
    // under 256 KiB in every partition
    const count = 1_500;
    const burst = 10;
    // UNBOUNDED outlasts any run: only a full batch or flush() sends, so its request count follows
    // from record sizes alone. 0 and 50 ms are compared with it, not with each other: between
    // them the counts depend on how fast this process runs (a loaded machine batches at linger 0)
    const UNBOUNDED = 600_000;
    const lingers = [0, 50, UNBOUNDED];
    const batchSizes = [16_384, 262_144];
    const results: Array<RunResult & { lingerMs: number; batchSize: number; topic: string }> = [];
    for (const batchSize of batchSizes) {
      for (const lingerMs of lingers) {
        const topic = topics.name(`linger-${lingerMs}-${batchSize}`);
        await topics.create(topic, PARTITIONS);
        results.push({
          lingerMs,
          batchSize,
          topic,
          ...(await produce(topic, config({ lingerMs, batchSize }), count, PARTITIONS, { burst })),
        });
      }
    }
    console.table(
      results.map((r) => ({
        lingerMs: r.lingerMs,
        batchSize: r.batchSize,
        produceRequests: r.produceRequests,
        batches: r.batches,
        recordsPerRequest: Math.round(count / r.produceRequests),
      })),
    );
    const requests = (batchSize: number, lingerMs: number) =>
      results.find((r) => r.batchSize === batchSize && r.lingerMs === lingerMs)!.produceRequests;
    // with 256 KiB batches nothing fills up: an unbounded linger sends once, at flush()
    expect(requests(262_144, UNBOUNDED)).toBe(1);
    // linger 0 sends the first burst at the first pause, before the final flush; the source
    // pauses 1 ms after every burst, 150 times, so a 50 ms linger expires before the last send
    expect(requests(262_144, 0)).toBeGreaterThan(requests(262_144, UNBOUNDED));
    expect(requests(262_144, 50)).toBeGreaterThan(requests(262_144, UNBOUNDED));
    // with 16 KiB batches full batches go out however long the linger (about 4 per partition)
    expect(requests(16_384, UNBOUNDED)).toBeGreaterThan(requests(262_144, UNBOUNDED));
    for (const r of results) {
      // one sendBatch per broker per drain is one Produce request on a one-broker cluster
      expect(r.produceRequests).toBe(r.sendCalls);
      expect(r.failedEvents).toBe(0);
      await expectExactlyOnceInOrder(topics, r.topic, count, PARTITIONS);
    }
  });

  it('with a tiny bufferMemory makes send() wait and still delivers everything', async () => {
    const topic = topics.name('backpressure');
    await topics.create(topic, 3);
    const bufferMemory = 20_000; // about 37 records of 540 bytes
    const count = 2_000;
    const result = await produce(topic, config({ bufferMemory, lingerMs: 5 }), count, 3, { burst: 0 });
    expect(result.maxBuffered).toBeLessThanOrEqual(bufferMemory);
    // the budget was really used up, so send() must have waited for acks to free it
    expect(result.maxBuffered).toBeGreaterThan(bufferMemory - 1_100);
    await expectExactlyOnceInOrder(topics, topic, count, 3);
  });

  it('flush() covers sends still waiting for buffer space and lingering batches', async () => {
    const topic = topics.name('flush-covers-pending');
    await topics.create(topic, 3);
    const count = 600;
    // a long linger and a small buffer: most sends are still queued when flush() is called
    const producer = new BatchingProducer(
      testKafka('batching-producer-flush'),
      config({ lingerMs: 60_000, bufferMemory: 30_000 }),
      new StreamsEvents(),
    );
    await producer.connect();
    try {
      const sends = Array.from({ length: count }, (_, seq) =>
        producer.send({
          topic,
          key: Buffer.from(`key-${seq % 7}`),
          value: valueOf(seq),
          timestamp: Date.now(),
        }),
      );
      let flushed = false;
      const flush = producer.flush().then(() => (flushed = true));
      // a second flush in the same turn must wait for the same records
      await producer.flush();
      expect(producer.stats().recordsAcked).toBe(count);
      await flush;
      expect(flushed).toBe(true);
      await Promise.all(sends);
      expect(producer.bufferedBytes()).toBe(0);
      // every record is readable now (a fresh topic may answer NOT_LEADER once, so a
      // retried request may have written some twice; the warmed-up tests above check exactly once)
      const got = await topics.consumeUntil(topic, (r) => new Set(r.map(seqOf)).size >= count);
      expect(new Set(got.map(seqOf)).size).toBe(count);
    } finally {
      await producer.disconnect();
    }
  });

  it('spreads null-key records over partitions one batch at a time', async () => {
    const topic = topics.name('null-keys');
    await topics.create(topic, 4);
    const count = 1_000;
    await produce(topic, config({ lingerMs: 5, batchSize: 4_096 }), count, 4, { nullKeys: true });
    const got = await expectExactlyOnceInOrder(topics, topic, count, 4);
    expect(new Set(got.map((r) => r.partition)).size).toBeGreaterThan(1);
  });

  it('makes flush() reject with a clear error when the topic does not exist', async () => {
    const producer = new BatchingProducer(
      testKafka('batching-producer-missing'),
      config({}),
      new StreamsEvents(),
    );
    await producer.connect();
    try {
      const missing = topics.name('never-created');
      await producer.send({ topic: missing, key: null, value: Buffer.from('v'), timestamp: Date.now() });
      await expect(producer.flush()).rejects.toThrow(
        new RegExp(`cannot send to topic "${missing}".*does not host this topic-partition`),
      );
      // sticky: records were lost, so a later flush must not pretend otherwise
      await expect(producer.flush()).rejects.toThrow(/cannot send to topic/);
      expect(producer.failure()).toBeInstanceOf(Error);
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  });

  it('makes flush() reject when a partition does not exist', async () => {
    const topic = topics.name('bad-partition');
    await topics.create(topic, 2);
    const producer = new BatchingProducer(
      testKafka('batching-producer-partition'),
      config({}),
      new StreamsEvents(),
    );
    await producer.connect();
    try {
      await producer.send({ topic, partition: 5, key: null, value: Buffer.from('v'), timestamp: Date.now() });
      await expect(producer.flush()).rejects.toThrow(
        `partition 5 does not exist in topic "${topic}" (2 partitions)`,
      );
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  });

  it('surfaces a batch the broker refuses: flush() rejects and the request event carries the error', async () => {
    const topic = topics.name('refused');
    await topics.create(topic, 1, { 'max.message.bytes': '1000' });
    const events = new StreamsEvents();
    const failed: string[] = [];
    events.on('producer.request', (e) => e.error && failed.push(e.error));
    const producer = new BatchingProducer(testKafka('batching-producer-refused'), config({}), events);
    await producer.connect();
    try {
      await producer.send({ topic, key: null, value: Buffer.alloc(5_000), timestamp: Date.now() });
      await expect(producer.flush()).rejects.toThrow(new RegExp(`produce request .* "${topic}" failed`));
      expect(failed).toHaveLength(1);
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  });
});
