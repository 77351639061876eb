// Type-checks against the packed .d.ts only (no sources, no paths): what a TypeScript service sees.
import { hostname } from 'node:os';
import {
  JoinWindows,
  KafkaStreams,
  Serdes,
  StreamsBuilder,
  Stores,
  type KeyValue,
  type Processor,
  type ProcessorContext,
  type StreamsConfigInput,
  type StreamsEventMap,
  type StreamRecord,
  type Topology,
  type WindowStore,
} from '@streamtune/streams';
import { TopologyTestDriver, type TestOutputTopic } from '@streamtune/streams/testing';
import { createServiceMetrics, instrumentStreams, type ServiceMetrics } from '@streamtune/metrics';
import { LatencyRecorder } from '@streamtune/perf';

interface Order {
  id: string;
  amount: number;
}

export function topology(): Topology {
  const builder = new StreamsBuilder();
  const orders = builder.stream<string, Order>('orders', {
    keySerde: Serdes.string(),
    valueSerde: Serdes.json<Order>(),
  });
  const payments = builder.stream<string, string>('payments');
  orders
    .join(
      payments,
      (order, payment): string => `${order.id}:${payment}`,
      JoinWindows.ofTimeDifferenceWithNoGrace(1_000),
    )
    .to('paid-orders');
  return builder.build();
}

export const config: StreamsConfigInput = {
  applicationId: 'consumer',
  bootstrapServers: ['127.0.0.1:9092'],
  commitIntervalMs: 100,
};

export async function run(): Promise<ServiceMetrics> {
  const streams = new KafkaStreams(topology(), config);
  const metrics = await createServiceMetrics({ service: 'consumer', instance: hostname(), port: 0 });
  instrumentStreams(metrics, streams);
  streams.events.on('commit', (event: StreamsEventMap['commit']) => void event);
  await streams.start();
  return metrics;
}

export function outputs(): TestOutputTopic<string, string> {
  const driver = new TopologyTestDriver(topology());
  return driver.createOutputTopic<string, string>('paid-orders');
}

export class Counter implements Processor<string, string, string, number> {
  private context: ProcessorContext<string, number> | undefined;
  private store: WindowStore<string, number> | undefined;
  init(context: ProcessorContext<string, number>): void {
    this.context = context;
  }
  async process(record: StreamRecord<string, string>): Promise<void> {
    void this.store;
    await this.context?.forward({ ...record, value: record.value.length });
  }
}

export const stores = Stores;
export const latency = new LatencyRecorder();
export const pair: KeyValue<string, number> = { key: 'a', value: 1 };

// @ts-expect-error internals stay internal: not part of the public surface
import { SHARED_INSTANCE_STORE } from '@streamtune/streams';
void SHARED_INSTANCE_STORE;
