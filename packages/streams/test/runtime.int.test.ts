import { TestTopics } from '@streamtune/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEAD_LETTER_HEADERS,
  KafkaStreams,
  Serdes,
  StreamsBuilder,
  type StreamsConfigInput,
} from '../src/index';
import { baseConfig, keyedRecords, ownInternalTopics, waitForState } from './helpers';

describe('KafkaStreams on a real broker', () => {
  const topics = new TestTopics('streams-rt');
  const running: KafkaStreams[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
    await topics.cleanup();
  });

  /**
   * The dead-letter tests' app: input -> value doubled -> output, one partition each, bad
   * records dead-lettered (logAndContinue).
   */
  async function doublingApp(config: Partial<StreamsConfigInput> = {}) {
    const input = topics.name('in');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create([input, output], 1);
    ownInternalTopics(topics, appId);
    const b = new StreamsBuilder();
    b.stream<string, { n: number }>(input, { valueSerde: Serdes.json() })
      .mapValues((v) => ({ n: v.n * 2 }))
      .to(output, { valueSerde: Serdes.json() });
    const streams = new KafkaStreams(b.build(), {
      ...baseConfig(appId),
      deserializationExceptionHandler: 'logAndContinue',
      ...config,
    });
    running.push(streams);
    return { input, output, appId, streams };
  }

  it('rejects an unknown config key, naming it', () => {
    const b = new StreamsBuilder();
    b.stream('x').to('y');
    expect(() => new KafkaStreams(b.build(), { ...baseConfig('app'), lingerMs: 5 } as never)).toThrow(
      ConfigError,
    );
    expect(
      () => new KafkaStreams(b.build(), { ...baseConfig('app'), producer: { linger: 5 } } as never),
    ).toThrow(/unknown config key\(s\) "producer.linger"/);
  });

  it('runs a stateless topology end to end, commits, and closes cleanly', async () => {
    const input = topics.name('in');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create([input, output], 3);
    ownInternalTopics(topics, appId);
    topics.groupId(); // registered for cleanup below
    const b = new StreamsBuilder();
    b.stream(input)
      .filter((_, v) => Number(v) % 10 !== 0)
      .mapValues((v) => `v${v}`)
      .to(output);
    const streams = new KafkaStreams(b.build(), baseConfig(appId));
    running.push(streams);
    const states: string[] = [];
    streams.setStateListener((to) => states.push(to));
    let commits = 0;
    streams.events.on('commit', () => commits++);
    await topics.produce(input, keyedRecords(300, 'k', 3));
    await streams.start();
    const out = await topics.consumeUntil(output, (r) => r.length >= 270);
    expect(out).toHaveLength(270);
    expect(new Set(out.map((r) => r.value))).toEqual(
      new Set(
        keyedRecords(300)
          .filter((_, i) => i % 10 !== 0)
          .map((r) => `v${r.value}`),
      ),
    );
    // the key partitions as the input did (murmur2, same partition count)
    await streams.close();
    running.pop();
    expect(states).toEqual(['REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING']);
    expect(commits).toBeGreaterThan(0);
    const admin = await topics.admin();
    const committed = await admin.fetchOffsets({ groupId: appId, topics: [input] });
    const total = committed[0]!.partitions.reduce((s, p) => s + Number(p.offset), 0);
    expect(total).toBe(300);
    await admin.deleteGroups([appId]).catch(() => undefined);
  });

  it('repartitions through <applicationId>-<name>-repartition with the requested partition count', async () => {
    const input = topics.name('in');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create(input, 2);
    await topics.create(output, 4);
    ownInternalTopics(topics, appId, 'by-mod-repartition');
    const b = new StreamsBuilder();
    b.stream(input)
      .selectKey((_, v) => `m${Number(v) % 4}`)
      .repartition({ name: 'by-mod', numberOfPartitions: 4 })
      .to(output);
    const streams = new KafkaStreams(b.build(), baseConfig(appId));
    running.push(streams);
    await topics.produce(input, keyedRecords(200, 'k', 2));
    await streams.start();
    const out = await topics.consumeUntil(output, (r) => r.length >= 200);
    expect(out).toHaveLength(200);
    const admin = await topics.admin();
    const meta = await admin.fetchTopicMetadata({ topics: [`${appId}-by-mod-repartition`] });
    expect(meta.topics[0]!.partitions).toHaveLength(4);
    // records with the same new key end in one partition of the output
    const partitionsByKey = new Map<string, Set<number>>();
    for (const r of out)
      partitionsByKey.set(r.key!, (partitionsByKey.get(r.key!) ?? new Set()).add(r.partition));
    expect([...partitionsByKey.values()].every((s) => s.size === 1)).toBe(true);
    expect(partitionsByKey.size).toBe(4);
  });

  it('sends a malformed record to the dead-letter topic while its neighbours are processed', async () => {
    const { input, output, appId, streams } = await doublingApp();
    const dead: string[] = [];
    streams.events.on('record.dead-lettered', (e) => dead.push(e.offset));
    await topics.produce(input, [
      { key: 'a', value: '{"n":1}' },
      { key: 'b', value: '{oops', headers: { trace: 'abc' } },
      { key: 'c', value: '{"n":3}' },
    ]);
    await streams.start();
    const out = await topics.consumeUntil(output, (r) => r.length >= 2);
    expect(out.map((r) => [r.key, r.value])).toEqual([
      ['a', '{"n":2}'],
      ['c', '{"n":6}'],
    ]);
    const letters = await topics.consumeUntil(`${appId}-dead-letters`, (r) => r.length >= 1);
    expect(letters).toHaveLength(1);
    expect(letters[0]!.key).toBe('b');
    expect(letters[0]!.value).toBe('{oops');
    expect(letters[0]!.headers.trace).toBe('abc');
    expect(letters[0]!.headers[DEAD_LETTER_HEADERS.topic]).toBe(input);
    expect(letters[0]!.headers[DEAD_LETTER_HEADERS.partition]).toBe('0');
    expect(letters[0]!.headers[DEAD_LETTER_HEADERS.offset]).toBe('1');
    expect(letters[0]!.headers[DEAD_LETTER_HEADERS.message]).toMatch(/not valid JSON/);
    expect(dead).toEqual(['1']);
  });

  it('a malformed record too large to copy whole is dead-lettered without its payload, and the service goes on', async () => {
    const { input, output, appId, streams } = await doublingApp();
    const dead: Array<{ offset: string; payloadOmitted: boolean | undefined }> = [];
    streams.events.on('record.dead-lettered', (e) =>
      dead.push({ offset: e.offset, payloadOmitted: e.payloadOmitted }),
    );
    // the broker takes it, but its copy with the error headers passes producer.maxRequestSize
    const junk = 'x'.repeat(1_048_300);
    await topics.produce(input, [{ key: 'a', value: '{"n":1}' }]);
    await topics.produce(input, [{ key: 'big', value: junk }]);
    await topics.produce(input, [{ key: 'c', value: '{"n":3}' }]);
    await streams.start();
    const out = await topics.consumeUntil(output, (r) => r.length >= 2);
    expect(out.map((r) => [r.key, r.value])).toEqual([
      ['a', '{"n":2}'],
      ['c', '{"n":6}'],
    ]);
    const letters = await topics.consumeUntil(`${appId}-dead-letters`, (r) => r.length >= 1);
    expect(letters).toHaveLength(1);
    expect(letters[0]!.value).toBeNull();
    expect(letters[0]!.headers[DEAD_LETTER_HEADERS.offset]).toBe('1');
    expect(Number(letters[0]!.headers[DEAD_LETTER_HEADERS.payloadOmitted])).toBe(3 + junk.length);
    expect(dead).toEqual([{ offset: '1', payloadOmitted: true }]);
    expect(streams.state()).toBe('RUNNING');
  });

  for (const guarantee of ['at_least_once', 'exactly_once_v2'] as const) {
    it(`${guarantee}: a failed record whose dead-letter topic is gone is skipped and counted; the service goes on`, async () => {
      const { input, output, appId, streams } = await doublingApp({ processingGuarantee: guarantee });
      const skipped: Array<string | undefined> = [];
      streams.events.on('record.dead-lettered', (e) => skipped.push(e.notWritten));
      await streams.start();
      await waitForState(streams, 'RUNNING');
      // someone deletes the dead-letter topic the runtime created
      const admin = await topics.admin();
      await admin.deleteTopics({ topics: [`${appId}-dead-letters`] });
      await topics.produce(input, [
        { key: 'a', value: '{"n":1}' },
        { key: 'b', value: '{oops' },
        { key: 'c', value: '{"n":3}' },
      ]);
      const out = await topics.consumeUntil(output, (r) => r.length >= 2, { timeoutMs: 60_000 });
      expect(out.map((r) => [r.key, r.value])).toEqual([
        ['a', '{"n":2}'],
        ['c', '{"n":6}'],
      ]);
      expect(skipped).toHaveLength(1);
      expect(skipped[0]).toMatch(/dead-letters/);
      expect(streams.state()).toBe('RUNNING');
    });
  }

  it('logAndFail commits the records before the bad one and stops in ERROR with a clear error', async () => {
    const input = topics.name('in');
    const output = topics.name('out');
    const appId = topics.name('app');
    await topics.create([input, output], 1);
    ownInternalTopics(topics, appId);
    const b = new StreamsBuilder();
    b.stream(input, { valueSerde: Serdes.json<number>() }).to(output, { valueSerde: Serdes.json<number>() });
    const streams = new KafkaStreams(b.build(), baseConfig(appId));
    running.push(streams);
    await topics.produce(input, [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
      { key: 'c', value: 'nope' },
      { key: 'd', value: '4' },
    ]);
    const failed = waitForState(streams, 'ERROR');
    await streams.start();
    await failed;
    expect(streams.error()!.message).toMatch(
      new RegExp(`deserialization of ${input}-0@2 failed .*deserializationExceptionHandler is logAndFail`),
    );
    const admin = await topics.admin();
    const committed = await admin.fetchOffsets({ groupId: appId, topics: [input] });
    expect(committed[0]!.partitions[0]!.offset).toBe('2');
    const out = await topics.consumeUntil(output, (r) => r.length >= 2);
    expect(out.map((r) => r.value)).toEqual(['1', '2']);
    await admin.deleteGroups([appId]).catch(() => undefined);
  });

  it('refuses to start when a sub-topology reads topics that are not co-partitioned', async () => {
    const a = topics.name('a');
    const c = topics.name('c');
    const appId = topics.name('app');
    await topics.create(a, 2);
    await topics.create(c, 3);
    const b = new StreamsBuilder();
    b.stream(a).merge(b.stream(c)).to(topics.name('out'));
    const streams = new KafkaStreams(b.build(), baseConfig(appId));
    await expect(streams.start()).rejects.toThrow(
      new RegExp(`not co-partitioned: ${a} \\(2 partitions\\), ${c} \\(3 partitions\\)`),
    );
    expect(streams.state()).toBe('ERROR');
  });
});
