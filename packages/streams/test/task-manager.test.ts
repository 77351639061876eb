import { describe, expect, it } from 'vitest';
import type {
  AdminPort,
  ConsumerPort,
  FetchedRecord,
  ProducedRecord,
  ProducerPort,
} from '../src/client/ports';
import { parseConfig, StreamsBuilder, StreamsEvents, type ProcessorContext } from '../src/index';
import { commitTasks } from '../src/runtime/commit';
import { planTopics } from '../src/runtime/internal-topics';
import { TaskRecordCollector } from '../src/runtime/record-collector';
import { TaskManager } from '../src/runtime/task-manager';
import type { StreamTask } from '../src/runtime/task/stream-task';
import { inProcessTaskState } from '../src/state-manager/in-process-task-state';

/** Ports that record what the runtime asks of Kafka, in order (no broker: these test our own code). */
function ports(calls: string[], options: { acked?: Map<string, string>; failFlush?: boolean } = {}) {
  const sent: ProducedRecord[] = [];
  const producer: ProducerPort = {
    connect: async () => undefined,
    send: async (r) => {
      calls.push(`send ${r.topic}`);
      sent.push(r);
    },
    flush: async () => {
      calls.push('producer.flush');
      if (options.failFlush) throw new Error('broker gone');
    },
    bufferedBytes: () => 0,
    disconnect: async () => undefined,
    ...(options.acked
      ? { lastAckedOffset: (topic: string, partition: number) => options.acked!.get(`${topic}-${partition}`) }
      : {}),
  };
  const consumer: ConsumerPort = {
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async () => undefined,
    commit: async (offsets) =>
      void calls.push(`commit ${offsets.map((o) => `${o.topic}-${o.partition}@${o.offset}`).join(',')}`),
    seek: () => undefined,
    pause: () => undefined,
    resume: () => undefined,
    disconnect: async () => undefined,
  };
  const admin: AdminPort = {
    connect: async () => undefined,
    partitionCounts: async () => new Map(),
    createTopics: async () => undefined,
    highWatermarks: async (topic) => {
      calls.push(`highWatermarks ${topic}`);
      return new Map([[0, '10']]);
    },
    disconnect: async () => undefined,
  };
  return { producer, consumer, admin, sent, events: new StreamsEvents() };
}

const deps = (p: ReturnType<typeof ports>) => ({
  ...p,
  config: { applicationId: 'app', processingGuarantee: 'at_least_once' as const },
});

function fakeTask(calls: string[], name: string): StreamTask {
  return {
    state: {
      flush: async () => void calls.push(`${name}.stores.flush`),
      checkpoint: async (offsets: ReadonlyMap<string, string>) =>
        void calls.push(`${name}.checkpoint ${[...offsets].map(([s, o]) => `${s}@${o}`).join(',')}`),
    },
    uncommittedOffsets: () => [{ topic: 'in', partition: 0, offset: '5' }],
    markCommitted: () => void calls.push(`${name}.markCommitted`),
  } as unknown as StreamTask;
}

describe('commitTasks', () => {
  it('flushes stores, then the producer, then commits offsets, then checkpoints the acked changelog offsets', async () => {
    const calls: string[] = [];
    const p = ports(calls, { acked: new Map([['app-s-changelog-0', '41']]) });
    const collector = new TaskRecordCollector('app', 0, p.producer);
    collector.append('s', Buffer.from('k'), Buffer.from('v'), 1);
    calls.length = 0;
    await commitTasks([{ task: fakeTask(calls, 't'), collector, producer: p.producer }], deps(p), 'interval');
    expect(calls).toEqual([
      't.stores.flush',
      'producer.flush',
      'commit in-0@5',
      't.markCommitted',
      't.checkpoint s@41',
    ]);
  });

  it('commits nothing and checkpoints nothing when the producer cannot confirm every record', async () => {
    const calls: string[] = [];
    const p = ports(calls, { failFlush: true });
    const collector = new TaskRecordCollector('app', 0, p.producer);
    await expect(
      commitTasks([{ task: fakeTask(calls, 't'), collector, producer: p.producer }], deps(p), 'interval'),
    ).rejects.toThrow('broker gone');
    expect(calls).toEqual(['t.stores.flush', 'producer.flush']);
  });
});

describe('TaskRecordCollector', () => {
  it('takes checkpoint offsets from the acks, asks the broker only when the producer cannot tell, and forgets written stores after', async () => {
    const calls: string[] = [];
    const withAcks = ports(calls, { acked: new Map([['app-a-changelog-3', '7']]) });
    const collector = new TaskRecordCollector('app', 3, withAcks.producer);
    collector.append('a', Buffer.from('k'), null, 1);
    expect(withAcks.sent[0]).toMatchObject({ topic: 'app-a-changelog', partition: 3, value: null });
    expect(await collector.changelogOffsets(withAcks.admin)).toEqual(new Map([['a', '7']]));
    expect(await collector.changelogOffsets(withAcks.admin)).toEqual(new Map());

    const without = ports(calls);
    const asking = new TaskRecordCollector('app', 0, without.producer);
    asking.append('b', Buffer.from('k'), Buffer.from('v'), 1);
    expect(await asking.changelogOffsets(without.admin)).toEqual(new Map([['b', '9']]));
    expect(calls).toContain('highWatermarks app-b-changelog');
  });

  it('keeps a failed changelog send and throws it at the next commit', async () => {
    const p = ports([]);
    const failing: ProducerPort = { ...p.producer, send: async () => Promise.reject(new Error('too large')) };
    const collector = new TaskRecordCollector('app', 0, failing);
    collector.append('s', Buffer.from('k'), Buffer.from('v'), 1);
    await new Promise((r) => setImmediate(r));
    await expect(collector.changelogOffsets(p.admin)).rejects.toThrow('too large');
  });
});

describe('TaskManager', () => {
  it('runs tasks side by side while each keeps its own record order', async () => {
    const builder = new StreamsBuilder();
    // a processor whose waits differ per record: a task that waits must not hold back the others
    builder
      .stream<string, string>('in')
      .process<string, string>(() => {
        let ctx!: ProcessorContext<string, string>;
        return {
          init: (c) => void (ctx = c),
          async process(r) {
            await new Promise((resolve) => setTimeout(resolve, Number(r.value.split(':')[1]) % 3));
            await ctx.forward(r);
          },
        };
      })
      .to('out');
    const topology = builder.build();
    const config = parseConfig({ applicationId: 'app', bootstrapServers: 'x:1' });
    const p = ports([]);
    const plan = await planTopics(topology, config, {
      ...p.admin,
      partitionCounts: async () => new Map([['in', 3]]),
    });
    const manager = new TaskManager({
      topology,
      config,
      plan,
      consumer: p.consumer,
      producer: p.producer,
      admin: p.admin,
      events: p.events,
      taskStateFactory: inProcessTaskState,
      changelogReader: null,
    });
    const change = manager.assign([0, 1, 2].map((partition) => ({ topic: 'in', partition })));
    expect(change.added).toHaveLength(3);
    await manager.openAdded(change);
    for (const partition of [0, 1, 2]) {
      const records: FetchedRecord[] = Array.from({ length: 30 }, (_, i) => ({
        key: Buffer.from(`k${partition}`),
        value: Buffer.from(`p${partition}:${i}`),
        timestamp: i,
        headers: {},
        offset: String(i),
      }));
      manager.buffer(manager.entryOf('in', partition)!, {
        topic: 'in',
        partition,
        records,
        highWatermark: '30',
        bytes: 0,
      });
    }
    let processed = 0;
    while (processed < 90) processed += await manager.processRun(() => false);
    const byPartition = [0, 1, 2].map((partition) =>
      p.sent.filter((r) => r.key!.toString() === `k${partition}`).map((r) => r.value!.toString()),
    );
    for (const [partition, values] of byPartition.entries()) {
      expect(values).toEqual(Array.from({ length: 30 }, (_, i) => `p${partition}:${i}`));
    }
    // interleaved: the tasks did not run one after the other
    const order = p.sent.map((r) => r.key!.toString());
    expect(order.slice(0, 30).some((k) => k !== order[0])).toBe(true);
    await manager.closeAll(true);
  });
});
