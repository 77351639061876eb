// A service as npm users write one, run with plain `node` (no tsx) against the packed
// tarballs: a windowed left join through the TopologyTestDriver, /metrics from
// @streamtune/metrics fed by the driver's events. Exits non-zero when anything is off.
import assert from 'node:assert/strict';
import { JoinWindows, Serdes, StreamsBuilder } from '@streamtune/streams';
import { TopologyTestDriver } from '@streamtune/streams/testing';
import { createServiceMetrics, instrumentStreams } from '@streamtune/metrics';
import { readCommittedFixInstalled } from '@streamtune/kafkajs-read-committed';

// @streamtune/streams loads kafkajs with the read_committed fix in place, installed or copied
assert.equal(readCommittedFixInstalled(), true, 'kafkajs read_committed fix not installed');

const builder = new StreamsBuilder();
const orders = builder.stream('orders', { keySerde: Serdes.string(), valueSerde: Serdes.string() });
const payments = builder.stream('payments', { keySerde: Serdes.string(), valueSerde: Serdes.string() });
orders
  .leftJoin(
    payments,
    (order, payment) => `${order}+${payment}`,
    JoinWindows.ofTimeDifferenceWithNoGrace(1_000),
    {
      storeName: 'order-payments',
      // emit unmatched left records as soon as their window closes (no wall-clock interval)
      outerJoinEmitIntervalMs: 0,
    },
  )
  .to('order-payments');
const topology = builder.build();

const driver = new TopologyTestDriver(topology, { applicationId: 'pack-check' });
const metrics = await createServiceMetrics({
  service: 'pack-check',
  instance: 'local',
  port: 0,
  host: '127.0.0.1',
});
instrumentStreams(metrics, driver.events);
try {
  const ordersIn = driver.createInputTopic('orders');
  const paymentsIn = driver.createInputTopic('payments');
  const out = driver.createOutputTopic('order-payments');

  await ordersIn.pipeInput('o1', 'order-1', 1_000);
  await paymentsIn.pipeInput('o1', 'paid-1', 1_500);
  await ordersIn.pipeInput('o2', 'order-2', 2_000);
  // stream time moves past o2's window: the left join emits it unmatched
  await ordersIn.pipeInput('o3', 'order-3', 10_000);

  const joined = out.readKeyValuesToList();
  assert.deepEqual(joined, [
    { key: 'o1', value: 'order-1+paid-1' },
    { key: 'o2', value: 'order-2+null' },
  ]);

  const response = await fetch(`${metrics.url}/metrics`);
  assert.equal(response.status, 200);
  const text = await response.text();
  assert.match(text, /^streamtune_/m, '/metrics serves the streamtune_* families');
  assert.match(text, /service="pack-check"/);
  console.log(
    `pack-check: node ${process.version}: join ok (${joined.length} records), /metrics ok (${text.length} bytes)`,
  );
} finally {
  await driver.close();
  await metrics.close();
}
