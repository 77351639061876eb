import { describe, expect, it } from 'vitest';
import type { AdminPort } from '../src/client/ports';
import { parseConfig, StreamsBuilder } from '../src/index';
import { planTopics } from '../src/runtime/internal-topics';

/** The admin port over a fixed set of topics (a fake of our own port, not of Kafka). */
const adminWith = (topics: Record<string, number>): AdminPort => ({
  connect: async () => {},
  disconnect: async () => {},
  createTopics: async () => {},
  highWatermarks: async () => new Map(),
  partitionCounts: async (names) => new Map(names.filter((n) => n in topics).map((n) => [n, topics[n]!])),
});

const config = parseConfig({ applicationId: 'app', bootstrapServers: 'x:1' });

describe('planTopics', () => {
  it('gives a repartition topic the upstream partition count unless the topology fixes it', async () => {
    const b = new StreamsBuilder();
    const s = b.stream('in').selectKey((_, v) => v);
    s.repartition({ name: 'inherit' }).to('out1');
    s.repartition({ name: 'fixed', numberOfPartitions: 2 }).to('out2');
    const plan = await planTopics(b.build(), config, adminWith({ in: 6 }));
    const byName = Object.fromEntries(plan.internalTopics.map((t) => [t.topic, t.partitions]));
    expect(byName).toEqual({
      'app-inherit-repartition': 6,
      'app-fixed-repartition': 2,
      'app-dead-letters': 1,
    });
    expect([...plan.partitionsBySubtopology]).toEqual([
      [0, 6],
      [1, 6],
      [2, 2],
    ]);
    expect(plan.subtopologyOfTopic.get('app-fixed-repartition')).toBe(2);
  });

  it('names a missing source topic', async () => {
    const b = new StreamsBuilder();
    b.stream('nowhere').to('out');
    await expect(planTopics(b.build(), config, adminWith({}))).rejects.toThrow(
      /source topic\(s\) nowhere do not exist/,
    );
  });

  it('refuses an existing internal topic with the wrong partition count', async () => {
    const b = new StreamsBuilder();
    b.stream('in').repartition({ name: 'r' }).to('out');
    await expect(planTopics(b.build(), config, adminWith({ in: 4, 'app-r-repartition': 3 }))).rejects.toThrow(
      /app-r-repartition has 3 partitions, the topology needs 4/,
    );
  });
});
