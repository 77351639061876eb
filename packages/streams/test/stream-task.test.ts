import { describe, expect, it } from 'vitest';
import { parseConfig, StreamsBuilder, StreamsEvents } from '../src/index';
import { inProcessTaskState } from '../src/state-manager/in-process-task-state';
import { createRecordFailureHandler } from '../src/runtime/record-failure';
import { StreamTask } from '../src/runtime/task/stream-task';
import type { OutgoingRecord, RawRecord } from '../src/runtime/task/types';

const raw = (offset: number, timestamp: number, value: string): RawRecord => ({
  key: Buffer.from('k'),
  value: Buffer.from(value),
  timestamp,
  headers: {},
  offset: String(offset),
});

async function taskReading(topics: string[]) {
  const builder = new StreamsBuilder();
  builder.stream(topics).to('out');
  const topology = builder.build();
  const config = parseConfig({ applicationId: 'app', bootstrapServers: 'x:1' });
  const events = new StreamsEvents();
  const sent: OutgoingRecord[] = [];
  const state = inProcessTaskState({
    config,
    taskId: { subtopology: 0, partition: 2 },
    storeBuilders: [],
    events,
    changelog: null,
    changelogReader: null,
  });
  await state.open();
  const task = new StreamTask({
    taskId: { subtopology: 0, partition: 2 },
    config,
    subtopology: topology.subtopologies()[0]!,
    partitions: topics.map((topic) => ({ topic, partition: 2 })),
    events,
    collector: { send: async (r) => void sent.push(r) },
    state,
    failureHandler: createRecordFailureHandler({ config, events, send: async () => undefined }),
  });
  await task.init();
  return { task, sent, events };
}

describe('StreamTask', () => {
  it('processes buffered records in timestamp order across its partitions and tracks stream time', async () => {
    const { task, sent, events } = await taskReading(['a', 'b']);
    const times: number[] = [];
    events.on('task.stream-time', (e) => times.push(e.streamTimeMs));
    task.addRecords('a', 2, [raw(0, 10, 'a10'), raw(1, 30, 'a30'), raw(2, 20, 'a20')]);
    task.addRecords('b', 2, [raw(7, 15, 'b15'), raw(8, 25, 'b25')]);
    while (await task.processNext());
    // within a partition offsets stay in order (a30 before a20); across partitions the smaller head goes first
    expect(sent.map((r) => r.value!.toString())).toEqual(['a10', 'b15', 'b25', 'a30', 'a20']);
    expect(task.streamTime()).toBe(30);
    expect(times).toEqual([10, 15, 25, 30]);
    expect(task.uncommittedOffsets()).toEqual([
      { topic: 'a', partition: 2, offset: '3' },
      { topic: 'b', partition: 2, offset: '9' },
    ]);
    task.markCommitted(task.uncommittedOffsets());
    expect(task.uncommittedOffsets()).toEqual([]);
  });

  it('refuses records of a partition it does not own', async () => {
    const { task } = await taskReading(['a']);
    expect(() => task.addRecords('a', 0, [raw(0, 1, 'x')])).toThrow(/does not own a-0/);
  });
});

describe('StreamTask waiting for a lagging partition (max.task.idle.ms = 0)', () => {
  it('does not run stream time ahead while an empty partition still has unfetched records', async () => {
    const { task, sent } = await taskReading(['a', 'b']);
    task.addRecords('a', 2, [raw(0, 100, 'a100'), raw(1, 200, 'a200')]);
    task.setFetchLag('a', 2, 0);
    // b's last fetch left records on the broker: they may be older than a's
    task.setFetchLag('b', 2, 5);
    expect(await task.processNext()).toBe(false);
    expect(task.streamTime()).toBe(-1);
    task.addRecords('b', 2, [raw(0, 50, 'b50')]);
    task.setFetchLag('b', 2, 0);
    while (await task.processNext());
    expect(sent.map((r) => r.value!.toString())).toEqual(['b50', 'a100', 'a200']);
  });

  it('does not wait for a partition that is caught up or was never fetched', async () => {
    const { task, sent } = await taskReading(['a', 'b', 'c']);
    task.addRecords('a', 2, [raw(0, 100, 'a100')]);
    task.setFetchLag('b', 2, 0);
    while (await task.processNext());
    expect(sent.map((r) => r.value!.toString())).toEqual(['a100']);
  });

  it('processes anyway when a partition buffer is full (its fetches are held back)', async () => {
    const { task, sent } = await taskReading(['a', 'b']);
    const many = Array.from({ length: 1_000 }, (_, i) => raw(i, 100 + i, `a${i}`));
    task.addRecords('a', 2, many);
    task.setFetchLag('b', 2, 3);
    expect(await task.processNext()).toBe(true);
    expect(sent).toHaveLength(1);
  });
});
