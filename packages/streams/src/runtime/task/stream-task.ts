import type { StreamsConfig } from '../../config/schema';
import type { StreamsEvents } from '../../observability/events';
import type { Cancellable, PunctuationType } from '../../processor/api';
import { Serdes, type Deserializer, type Serializer } from '../../serdes/serde';
import type { TaskState } from '../../state-manager/task-state';
import { resolveTopicName } from '../../topology/nodes';
import type { Subtopology } from '../../topology/subtopologies';
import type { RecordMetadata, TaskId } from '../../types/index';
import { taskIdToString } from '../../types/index';
import { PartitionQueue } from './partition-queue';
import { instantiateNodes, type NodeInstance, type TaskServices } from './processor-nodes';
import { Punctuations } from './punctuation';
import type { RawRecord, RecordCollector, RecordFailureHandler, TopicPartition } from './types';
import { tpKey } from './types';

export interface StreamTaskOptions {
  readonly taskId: TaskId;
  readonly config: StreamsConfig;
  readonly subtopology: Subtopology;
  /** The broker-side topic partitions this task reads (one per source topic with this partition number). */
  readonly partitions: readonly TopicPartition[];
  readonly events: StreamsEvents;
  readonly collector: RecordCollector;
  readonly state: TaskState;
  readonly failureHandler: RecordFailureHandler;
  readonly wallClock?: () => number;
}

export interface ProcessedOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to consume: what a commit writes. */
  readonly offset: string;
}

/**
 * One task: one partition number of one sub-topology (Kafka Streams' StreamTask), with
 * nothing of Kafka in it. Records of its partitions are buffered per partition and
 * processed in timestamp order across them; stream time is the largest timestamp
 * processed. The runtime feeds it from the consumer, the TopologyTestDriver from memory.
 */
export class StreamTask {
  readonly id: TaskId;
  readonly idString: string;
  private readonly queues = new Map<string, PartitionQueue>();
  private readonly sourceByTopic = new Map<string, NodeInstance>();
  private readonly nodes: Map<string, NodeInstance>;
  private readonly punctuations = new Punctuations();
  private readonly wallClock: () => number;
  private current: RecordMetadata | null = null;
  private streamTimeMs = -1;
  private committed = new Map<string, string>();
  private initialized = false;

  constructor(private readonly options: StreamTaskOptions) {
    this.id = options.taskId;
    this.idString = taskIdToString(options.taskId);
    this.wallClock = options.wallClock ?? Date.now;
    const { config, subtopology } = options;
    const defaultKey = (config.defaultKeySerde ?? Serdes.string()) as Deserializer<unknown> &
      Serializer<unknown>;
    const defaultValue = (config.defaultValueSerde ?? Serdes.string()) as Deserializer<unknown> &
      Serializer<unknown>;
    const services: TaskServices = {
      applicationId: config.applicationId,
      taskId: options.taskId,
      events: options.events,
      collector: options.collector,
      stores: options.state.stores,
      defaultKeySerde: defaultKey,
      defaultValueSerde: defaultValue,
      recordMetadata: () => this.current,
      streamTime: () => this.streamTimeMs,
      wallClock: this.wallClock,
      schedule: (intervalMs, type, punctuator) => this.schedule(intervalMs, type, punctuator),
    };
    this.nodes = instantiateNodes(subtopology.nodes, services);
    const extractorFromConfig = config.timestampExtractor;
    for (const source of subtopology.sources) {
      for (const topic of source.topics) {
        const name = resolveTopicName(config.applicationId, topic);
        this.sourceByTopic.set(name, this.nodes.get(source.name)!);
        for (const tp of options.partitions.filter((p) => p.topic === name)) {
          this.queues.set(
            tpKey(tp.topic, tp.partition),
            new PartitionQueue(
              tp.topic,
              tp.partition,
              source.keySerde ?? defaultKey,
              source.valueSerde ?? defaultValue,
              source.timestampExtractor ?? extractorFromConfig,
            ),
          );
        }
      }
    }
  }

  get partitions(): readonly TopicPartition[] {
    return this.options.partitions;
  }

  get state(): TaskState {
    return this.options.state;
  }

  /** Initializes processors (stores must be open: TaskState.open() resolved). */
  async init(): Promise<void> {
    if (this.initialized) return;
    this.initialized = true;
    for (const node of this.nodes.values()) await node.init();
  }

  addRecords(topic: string, partition: number, records: readonly RawRecord[]): void {
    const queue = this.queues.get(tpKey(topic, partition));
    if (!queue) throw new Error(`task ${this.idString} does not own ${topic}-${partition}`);
    queue.add(records);
  }

  /** What the last fetch of a partition left on the broker; see pickQueue(). */
  setFetchLag(topic: string, partition: number, lag: number): void {
    const queue = this.queues.get(tpKey(topic, partition));
    if (queue) queue.fetchLag = lag;
  }

  buffered(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.size;
    return n;
  }

  bufferedOn(topic: string, partition: number): number {
    return this.queues.get(tpKey(topic, partition))?.size ?? 0;
  }

  /** Drops buffered records of one partition (after a seek). */
  clearBuffer(topic: string, partition: number): void {
    this.queues.get(tpKey(topic, partition))?.clear();
  }

  streamTime(): number {
    return this.streamTimeMs;
  }

  /**
   * Processes the buffered record with the smallest timestamp across this task's
   * partitions. Returns false when nothing is buffered. A failing record goes to the
   * failure handler; if that throws (logAndFail) the record is not marked processed.
   */
  async processNext(): Promise<boolean> {
    const queue = this.pickQueue();
    if (!queue) return false;
    const head = queue.head()!;
    const { topic, partition } = queue;
    const started = performance.now();
    this.current = { topic, partition, offset: head.raw.offset };
    try {
      if (!head.ok) {
        await this.options.failureHandler.onFailure(
          'deserialization',
          { taskId: this.id, topic, partition, raw: head.raw },
          head.error,
        );
      } else {
        if (head.timestamp > this.streamTimeMs) {
          this.streamTimeMs = head.timestamp;
          if (this.options.events.has('task.stream-time')) {
            this.options.events.emit('task.stream-time', { taskId: this.id, streamTimeMs: head.timestamp });
          }
        }
        const source = this.sourceByTopic.get(topic)!;
        try {
          await source.process({
            key: head.key,
            value: head.value,
            timestamp: head.timestamp,
            headers: head.raw.headers,
          });
        } catch (e) {
          await this.options.failureHandler.onFailure(
            'processing',
            { taskId: this.id, topic, partition, raw: head.raw },
            e instanceof Error ? e : new Error(String(e)),
          );
        }
      }
      queue.take();
    } finally {
      this.current = null;
    }
    if (this.options.events.has('record.processed')) {
      this.options.events.emit('record.processed', {
        taskId: this.id,
        topic,
        latencyMs: performance.now() - started,
      });
    }
    if (head.ok) {
      await this.options.state.observeStreamTime(this.streamTimeMs);
      await this.punctuations.maybePunctuate('stream-time', this.streamTimeMs);
    }
    return true;
  }

  async punctuateWallClock(now = this.wallClock()): Promise<number> {
    return this.punctuations.maybePunctuate('wall-clock-time', now);
  }

  /** Offsets processed since the last `markCommitted()`. */
  uncommittedOffsets(): ProcessedOffset[] {
    const out: ProcessedOffset[] = [];
    for (const q of this.queues.values()) {
      if (q.nextOffset !== undefined && this.committed.get(tpKey(q.topic, q.partition)) !== q.nextOffset) {
        out.push({ topic: q.topic, partition: q.partition, offset: q.nextOffset });
      }
    }
    return out;
  }

  /** The processed position of one partition (undefined before the first record). */
  processedOffset(topic: string, partition: number): string | undefined {
    return this.queues.get(tpKey(topic, partition))?.nextOffset;
  }

  markCommitted(offsets: readonly ProcessedOffset[]): void {
    for (const o of offsets) this.committed.set(tpKey(o.topic, o.partition), o.offset);
  }

  async close(): Promise<void> {
    for (const node of this.nodes.values()) await node.close();
  }

  private pickQueue(): PartitionQueue | undefined {
    // Kafka Streams with max.task.idle.ms = 0: an empty partition holds the others back only
    // while the consumer knows it has unfetched records (lag > 0 at its last fetch); one that
    // is caught up, or never fetched, does not. Without the wait, a task catching up on a
    // backlog runs stream time ahead on the partition fetched first, and the other side's
    // records then arrive "late" and are dropped by joins.
    let best: PartitionQueue | undefined;
    let bestTs = Infinity;
    let waitForFetch = false;
    let bufferFull = false;
    const limit = this.options.config.consumer.maxPollRecords;
    for (const q of this.queues.values()) {
      const head = q.head();
      if (!head) {
        if (q.fetchLag !== undefined && q.fetchLag > 0) waitForFetch = true;
        continue;
      }
      // a full buffer stops its partition's fetches (back-pressure), so waiting could deadlock
      if (q.size >= limit) bufferFull = true;
      if (head.timestamp < bestTs) {
        best = q;
        bestTs = head.timestamp;
      }
    }
    return waitForFetch && !bufferFull ? undefined : best;
  }

  private schedule(
    intervalMs: number,
    type: PunctuationType,
    punctuator: (timestampMs: number) => Promise<void> | void,
  ): Cancellable {
    const now = type === 'stream-time' ? this.streamTimeMs : this.wallClock();
    return this.punctuations.schedule(intervalMs, type, punctuator, (fn) => fn(), now);
  }
}
