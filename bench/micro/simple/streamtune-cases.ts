/**
 * The SimpleBenchmark cases on streamtune. Each is the same topology as the Kafka Streams
 * program's (bench/kafka-streams/.../Topologies.java): String keys, Buffer values, Kafka
 * Streams' defaults except the producer's linger.ms 100, which Kafka Streams also sets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JoinWindows,
  KafkaStreams,
  Serdes,
  Stores,
  StreamsBuilder,
  type Processor,
  type ProcessorContext,
  type Topology,
  type WindowStore,
} from '@streamtune/streams';
import { sleep } from '../../lib/processes';
import { createTopics, endOffsetsSum, engineResult, type CaseResult, type Ctx } from './setup';

export const ENGINE_CASES = [
  'streamprocess',
  'streamprocesswithsink',
  'streamprocesswithwindowstore',
  'streamstreamjoin',
] as const;
export type EngineCase = (typeof ENGINE_CASES)[number];

/** Kafka's SimpleBenchmark: a 1 s window store kept 3 s; a 10 s join window with no grace. */
export const WINDOW_STORE_SIZE_MS = 1_000;
export const WINDOW_STORE_RETENTION_MS = 3 * WINDOW_STORE_SIZE_MS;
export const JOIN_WINDOW_MS = 10_000;

/** Input records a case reads: the join reads both topics. */
export function expectedInputs(name: EngineCase, ctx: Ctx): number {
  return name === 'streamstreamjoin' ? ctx.inA + ctx.inB : ctx.inA;
}

function topologyFor(name: EngineCase, ctx: Ctx, out: string, onOutput: () => void): Topology {
  const builder = new StreamsBuilder();
  const serdes = { keySerde: Serdes.string(), valueSerde: Serdes.buffer() };
  const a = builder.stream(ctx.inputA, serdes);
  switch (name) {
    case 'streamprocess':
      a.peek(() => onOutput());
      break;
    case 'streamprocesswithsink':
      a.peek(() => onOutput()).to(out, serdes);
      break;
    case 'streamprocesswithwindowstore': {
      builder.addStore(
        Stores.windowStoreBuilder({
          name: 'window-store',
          retentionMs: WINDOW_STORE_RETENTION_MS,
          windowSizeMs: WINDOW_STORE_SIZE_MS,
          retainDuplicates: false,
          keySerde: Serdes.string(),
          valueSerde: Serdes.buffer(),
        }),
      );
      // fetch the key's last second, then put, then forward (Kafka's SimpleBenchmark windowstore)
      a.process<string, Buffer>(
        () => {
          let ctxp: ProcessorContext<string, Buffer>;
          let store: WindowStore<string, Buffer>;
          const p: Processor<string, Buffer, string, Buffer> = {
            init(c) {
              ctxp = c;
              store = c.getStateStore<WindowStore<string, Buffer>>('window-store');
            },
            async process(r) {
              await store.fetch(r.key, r.timestamp - WINDOW_STORE_SIZE_MS, r.timestamp);
              await store.put(r.key, r.value, r.timestamp);
              await ctxp.forward(r);
            },
          };
          return p;
        },
        { stores: ['window-store'] },
      ).peek(() => onOutput());
      break;
    }
    case 'streamstreamjoin': {
      const b = builder.stream(ctx.inputB, serdes);
      a.leftJoin(
        b,
        (l: Buffer, r: Buffer | null) => (r ? l : l),
        JoinWindows.ofTimeDifferenceWithNoGrace(JOIN_WINDOW_MS),
        {
          name: 'bench-join',
          storeName: 'bench-join',
          keySerde: Serdes.string(),
          valueSerde: Serdes.buffer(),
          otherValueSerde: Serdes.buffer(),
        },
      ).peek(() => onOutput());
      break;
    }
  }
  return builder.build();
}

export async function streamtuneCase(ctx: Ctx, name: EngineCase, round: number): Promise<CaseResult> {
  const stateDir = mkdtempSync(join(tmpdir(), 'simple-bench-'));
  const out = `${ctx.prefix}.out-${name}-${round}`;
  if (name === 'streamprocesswithsink') await createTopics(ctx.brokers, [out]);
  let outputs = 0;
  const expectedIn = expectedInputs(name, ctx);
  const streams = new KafkaStreams(
    topologyFor(name, ctx, out, () => outputs++),
    {
      applicationId: `${ctx.prefix}-${name}-${round}`,
      bootstrapServers: ctx.brokers.split(','),
      stateDir,
      // Kafka Streams' own producer override; everything else at its defaults
      producer: { lingerMs: 100 },
    },
  );
  let inputs = 0;
  let first = 0;
  let last = 0;
  streams.events.on('record.processed', () => {
    if (!first) first = Date.now();
    if (++inputs >= expectedIn && !last) last = Date.now();
  });
  const t0 = Date.now();
  let error: string | undefined;
  try {
    await streams.start();
    const deadline = Date.now() + 600_000;
    while (!last && Date.now() < deadline && streams.state() !== 'ERROR') await sleep(20);
    if (!last) error = `stopped at ${inputs}/${expectedIn} (${streams.state()})`;
  } finally {
    await streams.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
  const closedAt = Date.now();
  // with a sink, a record is out once the broker has it: count the topic, after close flushed it
  if (name === 'streamprocesswithsink') outputs = await endOffsetsSum(ctx.brokers, out);
  const r = engineResult(
    name,
    'streamtune',
    round,
    ctx,
    { inputs, outputs },
    { startedAt: t0, firstRecordAt: first, lastRecordAt: last, closedAt },
  );
  if (error) r.error = error;
  return r;
}
