import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type StreamsConfig, type StreamsConfigInput } from '../config/schema';
import { StreamsEvents } from '../observability/events';
import { Serdes, type Deserializer, type Serializer } from '../serdes/serde';
import type { ChangelogSink, StateStore } from '../state/api';
import type { TaskStateFactory } from '../state-manager/task-state';
import type { Topology } from '../topology/topology';
import { resolveTopicName } from '../topology/nodes';
import { changelogTopicName } from '../topology/topic-names';
import { inProcessTaskState } from '../state-manager/in-process-task-state';
import { createRecordFailureHandler } from '../runtime/record-failure';
import { StreamTask } from '../runtime/task/stream-task';
import type { OutgoingRecord } from '../runtime/task/types';
import type { Headers } from '../types/index';
import { keyValueStoreView, sessionStoreView, windowStoreView } from './store-views';
import type { KeyValueStoreView, WindowStoreView } from './store-views';
import { TestInputTopic, TestOutputTopic, type TestRecord, type TopicSerdes } from './test-topics';

export interface TopologyTestDriverOptions {
  /** Opens each task's stores; the in-process one (init, flush, close) by default. */
  taskStateFactory?: TaskStateFactory;
  /** Start of the driver's wall clock, epoch ms (default 0). */
  initialWallClockTimeMs?: number;
  /** Observability events of the driven tasks. */
  events?: StreamsEvents;
}

/**
 * Runs a topology without a broker, with the shape of Kafka Streams' TopologyTestDriver:
 * one task per sub-topology (partition 0), records piped in are processed at once, and
 * records written to a topic that the topology reads (repartition topics) are processed
 * too before `pipeInput` resolves. Methods that touch stores return promises.
 */
export class TopologyTestDriver {
  readonly config: StreamsConfig;
  readonly events: StreamsEvents;
  private readonly tasks: StreamTask[] = [];
  private readonly taskByTopic = new Map<string, StreamTask>();
  private readonly topics = new Map<string, { records: OutgoingRecord[]; read: number }>();
  private readonly offsets = new Map<string, bigint>();
  private readonly stateDir: string | undefined;
  private readonly ready: Promise<void>;
  private queue: Promise<unknown> = Promise.resolve();
  private wallClockMs: number;
  private closed = false;

  constructor(
    readonly topology: Topology,
    config: Partial<StreamsConfigInput> = {},
    options: TopologyTestDriverOptions = {},
  ) {
    this.stateDir = config.stateDir ? undefined : mkdtempSync(join(tmpdir(), 'topology-test-driver-'));
    this.config = parseConfig({
      applicationId: 'topology-test-driver',
      bootstrapServers: 'dummy:1234',
      ...(this.stateDir ? { stateDir: this.stateDir } : {}),
      // as Kafka Streams' driver: no wall-clock throttling of left/outer join results unless asked for
      outerJoinEmitIntervalMs: 0,
      ...config,
    });
    this.events = options.events ?? new StreamsEvents();
    this.wallClockMs = options.initialWallClockTimeMs ?? 0;
    this.ready = this.start(options.taskStateFactory ?? inProcessTaskState);
    // surfaced by the first call that awaits it; avoids an unhandled rejection meanwhile
    this.ready.catch(() => undefined);
  }

  createInputTopic<K = string, V = string>(
    name: string,
    serdes: TopicSerdes<K, V> = {},
  ): TestInputTopic<K, V> {
    const keySerde = (serdes.keySerde ?? this.config.defaultKeySerde ?? Serdes.string()) as Serializer<K>;
    const valueSerde = (serdes.valueSerde ??
      this.config.defaultValueSerde ??
      Serdes.string()) as Serializer<V>;
    return new TestInputTopic<K, V>(name, (key, value, timestamp, headers) =>
      this.serialized(async () => {
        await this.ready;
        if (this.closed) throw new Error('TopologyTestDriver is closed');
        const task = this.taskByTopic.get(name);
        if (!task)
          throw new Error(
            `TopologyTestDriver: no source reads topic ${name} (known: ${[...this.taskByTopic.keys()].join(', ')})`,
          );
        this.deliver(task, {
          topic: name,
          key: keySerde.serialize(name, key, headers),
          value: valueSerde.serialize(name, value, headers),
          timestamp: timestamp ?? this.wallClockMs,
          headers,
        });
        await this.drain();
        await this.commit();
      }),
    );
  }

  createOutputTopic<K = string, V = string>(
    name: string,
    serdes: TopicSerdes<K, V> = {},
  ): TestOutputTopic<K, V> {
    const keySerde = (serdes.keySerde ?? this.config.defaultKeySerde ?? Serdes.string()) as Deserializer<K>;
    const valueSerde = (serdes.valueSerde ??
      this.config.defaultValueSerde ??
      Serdes.string()) as Deserializer<V>;
    const topic = () => {
      let t = this.topics.get(name);
      if (!t) this.topics.set(name, (t = { records: [], read: 0 }));
      return t;
    };
    return new TestOutputTopic<K, V>(
      name,
      () => {
        const t = topic();
        const unread = t.records.slice(t.read);
        t.read = t.records.length;
        return unread.map((r): TestRecord<K, V> => ({
          key: keySerde.deserialize(name, r.key, r.headers),
          value: valueSerde.deserialize(name, r.value, r.headers),
          timestamp: r.timestamp,
          headers: r.headers,
        }));
      },
      () => topic().records.length - topic().read,
    );
  }

  /** Advances the wall clock and runs due wall-clock punctuations. */
  advanceWallClockTime(ms: number): Promise<void> {
    return this.serialized(async () => {
      await this.ready;
      this.wallClockMs += ms;
      for (const task of this.tasks) await task.punctuateWallClock(this.wallClockMs);
      await this.drain();
      await this.commit();
    });
  }

  /** A store of the (first) task that has it: to inspect state in tests. */
  async getStateStore<S extends StateStore>(name: string): Promise<S | undefined> {
    await this.ready;
    for (const task of this.tasks) {
      const store = task.state.stores.get(name);
      if (store) return store as S;
    }
    return undefined;
  }

  /** A key-value store (aggregations, tables) with plain values, as Kafka Streams' driver.getKeyValueStore. */
  async getKeyValueStore<K, V>(name: string): Promise<KeyValueStoreView<K, V> | undefined> {
    const store = await this.getStateStore(name);
    return store && keyValueStoreView<K, V>(store, this.topology.storeBuilders.get(name));
  }

  /** A window store (windowed aggregations) with plain values, as Kafka Streams' driver.getWindowStore. */
  async getWindowStore<K, V>(name: string): Promise<WindowStoreView<K, V> | undefined> {
    const store = await this.getStateStore(name);
    return store && windowStoreView<K, V>(store, this.topology.storeBuilders.get(name));
  }

  /** A session store (session-windowed aggregations), as Kafka Streams' driver.getSessionStore. */
  async getSessionStore<K, V>(name: string): Promise<ReturnType<typeof sessionStoreView<K, V>> | undefined> {
    const store = await this.getStateStore(name);
    return store && sessionStoreView<K, V>(store);
  }

  /** Names of the topics sinks wrote to so far (internal ones with their application id prefix). */
  producedTopicNames(): string[] {
    return [...this.topics.entries()].filter(([, t]) => t.records.length > 0).map(([n]) => n);
  }

  close(): Promise<void> {
    return this.serialized(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.ready.catch(() => undefined);
      for (const task of this.tasks) {
        await task.close();
        await task.state.flush();
        await task.state.close(true);
      }
      if (this.stateDir) rmSync(this.stateDir, { recursive: true, force: true });
    });
  }

  private async start(factory: TaskStateFactory): Promise<void> {
    const appId = this.config.applicationId;
    const changelog: ChangelogSink = {
      append: (store, key, value, timestamp) => {
        this.capture({ topic: changelogTopicName(appId, store), key, value, timestamp, headers: {} });
      },
    };
    const failureHandler = createRecordFailureHandler({
      config: this.config,
      events: this.events,
      send: async (r) => this.capture(r),
      log: () => undefined,
    });
    for (const sub of this.topology.subtopologies()) {
      const topics = sub.sourceTopics.map((t) => resolveTopicName(appId, t));
      const taskId = { subtopology: sub.id, partition: 0 };
      const state = factory({
        config: this.config,
        taskId,
        storeBuilders: sub.storeNames.map((s) => this.topology.storeBuilders.get(s)!),
        events: this.events,
        changelog,
        changelogReader: null,
      });
      await state.open();
      const task = new StreamTask({
        taskId,
        config: this.config,
        subtopology: sub,
        partitions: topics.map((topic) => ({ topic, partition: 0 })),
        events: this.events,
        collector: { send: async (r) => this.capture(r) },
        state,
        failureHandler,
        wallClock: () => this.wallClockMs,
      });
      await task.init();
      this.tasks.push(task);
      topics.forEach((t) => this.taskByTopic.set(t, task));
    }
  }

  /** Everything sinks write lands here; topics the topology reads are fed back in. */
  private capture(record: OutgoingRecord): void {
    let t = this.topics.get(record.topic);
    if (!t) this.topics.set(record.topic, (t = { records: [], read: 0 }));
    t.records.push(record);
    const task = this.taskByTopic.get(record.topic);
    if (task) this.deliver(task, record);
  }

  private deliver(
    task: StreamTask,
    r: { topic: string; key: Buffer | null; value: Buffer | null; timestamp: number; headers: Headers },
  ): void {
    const offset = this.offsets.get(r.topic) ?? 0n;
    this.offsets.set(r.topic, offset + 1n);
    task.addRecords(r.topic, 0, [
      { key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers, offset: offset.toString() },
    ]);
  }

  /**
   * Kafka Streams' driver commits after every record it processes (drain() flushes after
   * each): record caches forward what they hold, so only updates made while processing one
   * record are deduplicated. What a flush forwards to other tasks is processed here.
   */
  private async commit(): Promise<void> {
    let more = true;
    while (more) {
      for (const task of this.tasks) await task.state.flush();
      more = false;
      for (const task of this.tasks) {
        while (await task.processNext()) more = true;
      }
    }
  }

  private async drain(): Promise<void> {
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const task of this.tasks) {
        // as Kafka Streams' driver: a commit (stores flush, caches forward) after every record
        while (await task.processNext()) {
          progressed = true;
          await task.state.flush();
        }
      }
    }
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
