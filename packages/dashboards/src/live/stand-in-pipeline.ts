import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceMetrics, instrumentStreams, type ServiceMetrics } from '@streamtune/metrics';
import { JoinWindows, KafkaStreams, Serdes, StreamsBuilder, type Topology } from '@streamtune/streams';
import { testKafka, TestTopics, uniqueName } from '@streamtune/testkit';
import type { PipelineRun, PipelineSummary, ShortPipelineOptions } from './pipeline';

/**
 * A stand-in for the reference pipeline (DASHBOARDS_PIPELINE=stand-in): a small joining
 * pipeline in this process, on the broker in KAFKA_BROKERS, with the same moving parts: two
 * services with windowed stream-stream joins (stores with changelogs), commits, the
 * batching producer, a dead letter and a dropped record, and a replacement instance that
 * takes over mid-run with an empty state directory, so its tasks restore from the changelogs
 * (a redeploy to a fresh machine).
 */

interface Order {
  id: string;
  amount: number;
}
interface Payment {
  orderId: string;
  method: string;
}
interface Shipment {
  orderId: string;
  carrier: string;
}
interface PaidOrder extends Order {
  method: string;
}
interface ShippedOrder extends PaidOrder {
  carrier: string | null;
}

const WINDOW_MS = 5_000;

function paymentsTopology(topics: Names): Topology {
  const b = new StreamsBuilder();
  const orders = b.stream<string, Order>(topics.orders, {
    valueSerde: Serdes.json<Order>(),
    named: 'orders',
  });
  const payments = b.stream<string, Payment>(topics.payments, {
    valueSerde: Serdes.json<Payment>(),
    named: 'payments',
  });
  orders
    .join(
      payments,
      (o, p): PaidOrder => ({ ...o, method: p.method }),
      JoinWindows.ofTimeDifferenceWithNoGrace(WINDOW_MS),
      {
        name: 'order-payment',
        storeName: 'order-payment',
        valueSerde: Serdes.json<Order>(),
        otherValueSerde: Serdes.json<Payment>(),
      },
    )
    .to(topics.paid, { valueSerde: Serdes.json<PaidOrder>(), named: 'paid-orders-sink' });
  return b.build();
}

function shippingTopology(topics: Names): Topology {
  const b = new StreamsBuilder();
  const paid = b.stream<string, PaidOrder>(topics.paid, {
    valueSerde: Serdes.json<PaidOrder>(),
    named: 'paid-orders',
  });
  const shipments = b.stream<string, Shipment>(topics.shipments, {
    valueSerde: Serdes.json<Shipment>(),
    named: 'shipments',
  });
  paid
    .leftJoin(
      shipments,
      (o, s): ShippedOrder => ({ ...o, carrier: s?.carrier ?? null }),
      JoinWindows.ofTimeDifferenceAndGrace(WINDOW_MS, 1_000),
      {
        name: 'paid-shipment',
        storeName: 'paid-shipment',
        valueSerde: Serdes.json<PaidOrder>(),
        otherValueSerde: Serdes.json<Shipment>(),
      },
    )
    .to(topics.shipped, { valueSerde: Serdes.json<ShippedOrder>(), named: 'shipped-orders-sink' });
  return b.build();
}

interface Names {
  orders: string;
  payments: string;
  shipments: string;
  paid: string;
  shipped: string;
}

interface Instance {
  service: string;
  instance: string;
  metrics: ServiceMetrics;
  applicationId: string;
  topology: Topology;
  stateDir: string;
  streams?: KafkaStreams;
}

export async function standInPipeline(options: ShortPipelineOptions = {}): Promise<PipelineRun> {
  const partitions = options.partitions ?? 3;
  const rate = options.ordersPerSecond ?? 60;
  const log = options.log ?? (() => {});
  const topics = new TestTopics('dash');
  const names: Names = {
    orders: topics.name('orders'),
    payments: topics.name('payments'),
    shipments: topics.name('shipments'),
    paid: topics.name('paid-orders'),
    shipped: topics.name('shipped-orders'),
  };
  await topics.create(Object.values(names), partitions);
  const runId = uniqueName('dash');
  const summary: PipelineSummary = { ordersProduced: 0, restoredRecords: 0, deadLetters: 0, commits: 0 };
  let restoresActive = 0;

  const makeInstance = async (service: string, instance: string, topology: Topology): Promise<Instance> => ({
    service,
    instance,
    topology,
    applicationId: `${runId}-${service}`,
    stateDir: mkdtempSync(join(tmpdir(), `streamtune-dash-${instance}-`)),
    metrics: await createServiceMetrics({ service, instance, port: 0, host: '127.0.0.1' }),
  });
  const instances = [
    await makeInstance('payments', 'payments-1', paymentsTopology(names)),
    await makeInstance('shipping', 'shipping-1', shippingTopology(names)),
    // replaces payments-1 mid-run with an empty state directory: its tasks restore from the changelogs
    await makeInstance('payments', 'payments-2', paymentsTopology(names)),
  ];

  const start = async (i: Instance) => {
    const streams = new KafkaStreams(i.topology, {
      applicationId: i.applicationId,
      bootstrapServers: (process.env.KAFKA_BROKERS ?? '').split(','),
      clientId: i.instance,
      stateDir: i.stateDir,
      commitIntervalMs: 1_000,
      storeStatsIntervalMs: 1_000,
      deserializationExceptionHandler: 'logAndContinue',
      producer: { lingerMs: 20 },
      consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, maxPollIntervalMs: 30_000 },
    });
    instrumentStreams(i.metrics, streams.events);
    streams.events.on('restore.start', () => restoresActive++);
    streams.events.on('restore.end', () => restoresActive--);
    streams.events.on('restore.batch', (e) => (summary.restoredRecords += e.restored));
    streams.events.on('record.dead-lettered', () => summary.deadLetters++);
    streams.events.on('commit', () => summary.commits++);
    i.streams = streams;
    await streams.start();
    log(`started ${i.instance}`);
  };

  const producer = testKafka('dash-traffic').producer({ allowAutoTopicCreation: false });
  let traffic: Promise<void> | undefined;
  let stopTraffic = false;

  /** Orders now; their payments and shipments a little later, so the joins match inside the window. */
  const driveTraffic = async (durationMs: number) => {
    await producer.connect();
    const ends = Date.now() + durationMs;
    const tickMs = 250;
    const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
    let previous: string[] = [];
    let n = 0;
    while (!stopTraffic && Date.now() < ends) {
      const ids = Array.from({ length: perTick }, () => `o${n++}`);
      const now = Date.now();
      await producer.sendBatch({
        topicMessages: [
          {
            topic: names.orders,
            messages: ids.map((id) => ({
              key: id,
              value: JSON.stringify({ id, amount: (n % 97) + 1 }),
              timestamp: String(now),
            })),
          },
          {
            topic: names.payments,
            messages: previous.map((id) => ({
              key: id,
              value: JSON.stringify({ orderId: id, method: 'card' }),
              timestamp: String(now),
            })),
          },
          {
            topic: names.shipments,
            // every other paid order ships in time; the rest come out of the left join unmatched
            messages: previous
              .filter((_, k) => k % 2 === 0)
              .map((id) => ({
                key: id,
                value: JSON.stringify({ orderId: id, carrier: 'post' }),
                timestamp: String(now),
              })),
          },
        ],
      });
      summary.ordersProduced += ids.length;
      previous = ids;
      await new Promise((r) => setTimeout(r, tickMs));
    }
  };

  return {
    metricsTargets: instances.map((i) => `127.0.0.1:${i.metrics.port}`),
    async drive(durationMs) {
      const [payments1, shipping1, payments2] = instances as [Instance, Instance, Instance];
      await start(payments1);
      await start(shipping1);
      traffic = driveTraffic(durationMs);
      // A malformed order (dead letter) and one without a key (dropped by the join).
      await producer.connect();
      await producer.send({
        topic: names.orders,
        messages: [
          { key: 'bad', value: '{not json' },
          { key: null, value: JSON.stringify({ id: 'nokey', amount: 1 }) },
        ],
      });
      await new Promise((r) => setTimeout(r, durationMs * 0.4));
      // A clean close leaves the group at once, so the replacement gets every task quickly.
      await payments1.streams?.close();
      log('closed payments-1');
      await start(payments2);
      await traffic;
      // Let the last windows close, the restore finish and commits land before metrics are read.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && (summary.restoredRecords === 0 || restoresActive > 0))
        await new Promise((r) => setTimeout(r, 500));
      await new Promise((r) => setTimeout(r, 3_000));
      return { ...summary };
    },
    async close() {
      stopTraffic = true;
      await traffic?.catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      for (const i of instances) await i.streams?.close().catch(() => undefined);
      for (const i of instances) await i.metrics.close();
      const admin = await topics.admin();
      const internal = (await admin.listTopics()).filter((t) => t.startsWith(runId));
      topics.own(...internal);
      await admin.deleteGroups(instances.map((i) => i.applicationId)).catch(() => undefined);
      await topics.cleanup();
      for (const i of instances) rmSync(i.stateDir, { recursive: true, force: true });
    },
  };
}
