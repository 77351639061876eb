/**
 * The limits beside the engines, as they were: kafkajs alone (SimpleBenchmark's `consume`, and
 * a consume-and-produce loop with no state) and the broker alone with Kafka's own
 * ProducerPerformance / ConsumerPerformance from the broker's jars.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { kafka } from '../../lib/broker';
import { ROOT, sleep } from '../../lib/processes';
import { createTopics, result, type CaseResult, type Ctx } from './setup';

const run = promisify(execFile);

/** kafkajs consumer alone (SimpleBenchmark's `consume`), or a consume-and-produce loop with no state. */
export async function kafkajsCase(ctx: Ctx, round: number, produce: boolean): Promise<CaseResult> {
  const name = produce ? 'consumeproduce' : 'consume';
  const k = kafka(ctx.brokers);
  const consumer = k.consumer({ groupId: `${ctx.prefix}-${name}-${round}`, maxBytes: 52_428_800 });
  const producer = k.producer({ allowAutoTopicCreation: false });
  const out = `${ctx.prefix}.out-${name}-${round}`;
  if (produce) await createTopics(ctx.brokers, [out]);
  const t0 = Date.now();
  await consumer.connect();
  if (produce) await producer.connect();
  await consumer.subscribe({ topic: ctx.inputA, fromBeginning: true });
  let count = 0;
  let first = 0;
  let last = 0;
  let outputs = 0;
  // kafkajs hands a whole fetch response to eachBatch at once, so the clock starts at the
  // first fetch request after joining the group, not at the first batch
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  consumer.on(consumer.events.FETCH_START, () => {
    if (joined && !first) first = Date.now();
  });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      count += batch.messages.length;
      if (produce) {
        await producer.send({
          topic: out,
          acks: -1,
          messages: batch.messages.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp })),
        });
        outputs += batch.messages.length;
      }
      if (count >= ctx.inA && !last) last = Date.now();
    },
  });
  const deadline = Date.now() + 300_000;
  while (!last && Date.now() < deadline) await sleep(20);
  await consumer.disconnect();
  if (produce) await producer.disconnect();
  const seconds = ((last || Date.now()) - first) / 1000;
  const r = result(
    name,
    round,
    count,
    produce ? outputs : 0,
    seconds,
    ((last || Date.now()) - t0) / 1000,
    ctx.valueSize,
  );
  if (!last) r.error = `timed out at ${count}/${ctx.inA}`;
  return r;
}

/** The broker alone: Kafka's own perf tools from the jars the local broker runs on. */
export async function javaTools(ctx: Ctx, round: number): Promise<CaseResult[]> {
  const cp = `${ROOT}/infra/kafka/target/lib/*`;
  const results: CaseResult[] = [];
  const t0 = Date.now();
  const p = await run(
    'java',
    [
      '-Xmx256m',
      '-cp',
      cp,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      ctx.javaTopic,
      '--num-records',
      String(ctx.n),
      '--record-size',
      String(ctx.valueSize),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${ctx.brokers}`,
      'acks=all',
    ],
    { maxBuffer: 10e6 },
  );
  const withStartup = (Date.now() - t0) / 1000;
  // "N records sent, X records/sec (Y MB/sec), ..."
  const m = /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(
    p.stdout.trim().split('\n').at(-1) ?? '',
  );
  if (m) {
    const rps = Number(m[2]);
    results.push({
      ...result(
        'java-producer-perf',
        round,
        Number(m[1]),
        Number(m[1]),
        Number(m[1]) / rps,
        withStartup,
        ctx.valueSize,
      ),
      mbPerSec: Number(m[3]) * 1.048576,
    });
  } else
    results.push({
      ...result('java-producer-perf', round, 0, 0, 1, withStartup, ctx.valueSize),
      error: p.stdout.slice(-300),
    });
  const t1 = Date.now();
  const c = await run(
    'java',
    [
      '-Xmx256m',
      '-cp',
      cp,
      'org.apache.kafka.tools.ConsumerPerformance',
      '--bootstrap-server',
      ctx.brokers,
      '--topic',
      ctx.javaTopic,
      '--messages',
      String(ctx.n),
      '--timeout',
      '120000',
      '--group',
      `${ctx.prefix}-java-consumer-${round}`,
    ],
    { maxBuffer: 10e6 },
  );
  const withStartupC = (Date.now() - t1) / 1000;
  // header line then: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const line =
    c.stdout
      .trim()
      .split('\n')
      .at(-1)
      ?.split(',')
      .map((s) => s.trim()) ?? [];
  const nMsg = Number(line[4]);
  const fetchMs = Number(line[7]);
  if (Number.isFinite(nMsg) && fetchMs > 0) {
    results.push(result('java-consumer-perf', round, nMsg, 0, fetchMs / 1000, withStartupC, ctx.valueSize));
  } else
    results.push({
      ...result('java-consumer-perf', round, 0, 0, 1, withStartupC, ctx.valueSize),
      error: c.stdout.slice(-300),
    });
  return results;
}
