import type { StreamsConfig } from '../../config/schema';
import type { StreamsEvents } from '../../observability/events';
import type { Cancellable, Processor, ProcessorContext, PunctuationType } from '../../processor/api';
import type { Serializer } from '../../serdes/serde';
import type { StateStore } from '../../state/api';
import { isTopicRef, resolveTopicName } from '../../topology/nodes';
import type { SinkNode, TopologyNode } from '../../topology/nodes';
import type { RecordMetadata, StreamRecord, TaskId } from '../../types/index';
import type { RecordCollector } from './types';

/** What node instances need from their task. */
export interface TaskServices {
  readonly applicationId: string;
  readonly taskId: TaskId;
  readonly events: StreamsEvents;
  readonly collector: RecordCollector;
  readonly stores: ReadonlyMap<string, StateStore>;
  readonly defaultKeySerde: Serializer<unknown>;
  readonly defaultValueSerde: Serializer<unknown>;
  recordMetadata(): RecordMetadata | null;
  streamTime(): number;
  wallClock(): number;
  readonly config: StreamsConfig;
  schedule(
    intervalMs: number,
    type: PunctuationType,
    punctuator: (timestampMs: number) => Promise<void> | void,
  ): Cancellable;
}

/** One node of one task: a processor instance (sources and sinks are built-in ones) and its children. */
export interface NodeInstance {
  readonly name: string;
  process(record: StreamRecord<unknown, unknown>): Promise<void>;
  init(): Promise<void>;
  close(): Promise<void>;
}

export function instantiateNodes(
  nodes: readonly TopologyNode[],
  task: TaskServices,
): Map<string, NodeInstance> {
  const instances = new Map<string, NodeInstance>();
  const childNames = new Map<string, string[]>();
  for (const node of nodes) {
    if (node.kind === 'source') continue;
    for (const p of node.parents) childNames.set(p, [...(childNames.get(p) ?? []), node.name]);
  }
  for (const node of nodes) {
    const instance =
      node.kind === 'sink'
        ? sinkInstance(node, task)
        : processorInstance(node.name, node.kind === 'processor' ? node.supplier() : forwardAll(), {
            task,
            children: () => (childNames.get(node.name) ?? []).map((n) => instances.get(n)!),
            stores: node.kind === 'processor' ? node.stores : [],
            isSource: node.kind === 'source',
          });
    instances.set(node.name, instance);
  }
  return instances;
}

function forwardAll(): Processor<unknown, unknown, unknown, unknown> {
  let ctx: ProcessorContext | undefined;
  return {
    init: (c) => {
      ctx = c;
    },
    process: (r) => ctx!.forward(r),
  };
}

function processorInstance(
  name: string,
  processor: Processor<unknown, unknown, unknown, unknown>,
  opts: { task: TaskServices; children: () => NodeInstance[]; stores: readonly string[]; isSource: boolean },
): NodeInstance {
  const { task } = opts;
  let kids: NodeInstance[] | undefined;
  const context: ProcessorContext = {
    applicationId: task.applicationId,
    taskId: task.taskId,
    events: task.events,
    processorName: name,
    async forward(record, childName) {
      kids ??= opts.children();
      if (childName !== undefined) {
        const child = kids.find((k) => k.name === childName);
        if (!child)
          throw new Error(
            `${name}: no child named ${childName} (children: ${kids.map((k) => k.name).join(', ')})`,
          );
        return child.process(record);
      }
      for (const child of kids) await child.process(record);
    },
    recordMetadata: () => task.recordMetadata(),
    currentStreamTimeMs: () => task.streamTime(),
    currentSystemTimeMs: () => task.wallClock(),
    appConfigs: () => task.config,
    getStateStore<S extends StateStore>(storeName: string): S {
      if (!opts.stores.includes(storeName)) {
        throw new Error(
          `processor ${name} is not connected to store ${storeName} (connected: [${opts.stores.join(', ')}])`,
        );
      }
      const store = task.stores.get(storeName);
      if (!store)
        throw new Error(
          `store ${storeName} is not open in task ${task.taskId.subtopology}_${task.taskId.partition}`,
        );
      return store as S;
    },
    schedule: (intervalMs, type, punctuator) => task.schedule(intervalMs, type, punctuator),
  };
  return {
    name,
    async init() {
      await processor.init?.(context);
    },
    async process(record) {
      if (opts.isSource && task.events.has('record.e2e')) {
        task.events.emit('record.e2e', {
          taskId: task.taskId,
          processor: name,
          e2eLatencyMs: task.wallClock() - record.timestamp,
        });
      }
      await processor.process(record);
    },
    async close() {
      await processor.close?.();
    },
  };
}

function sinkInstance(node: SinkNode, task: TaskServices): NodeInstance {
  const keySerde = node.keySerde ?? task.defaultKeySerde;
  const valueSerde = node.valueSerde ?? task.defaultValueSerde;
  const fixedTopic = isTopicRef(node.topic) ? resolveTopicName(task.applicationId, node.topic) : undefined;
  return {
    name: node.name,
    async init() {},
    async close() {},
    async process(record) {
      const topic =
        fixedTopic ??
        (node.topic as (k: unknown, v: unknown, m: RecordMetadata | null) => string)(
          record.key,
          record.value,
          task.recordMetadata(),
        );
      const key = keySerde.serialize(topic, record.key, record.headers);
      const value = valueSerde.serialize(topic, record.value, record.headers);
      await task.collector.send({ topic, key, value, timestamp: record.timestamp, headers: record.headers });
      if (task.events.has('record.sent') || task.events.has('record.e2e')) {
        const e2eLatencyMs = task.wallClock() - record.timestamp;
        task.events.emit('record.e2e', { taskId: task.taskId, processor: node.name, e2eLatencyMs });
        task.events.emit('record.sent', { taskId: task.taskId, processor: node.name, topic, e2eLatencyMs });
      }
    },
  };
}
