import {
  DEFAULT_JOIN_WINDOWS,
  expectedResults,
  expectedWarehouseRevenue,
  parseManifestLines,
  pipelineTopics,
  revenueWindow,
  scaleJoinWindows,
  type WarehouseRevenue,
} from '@streamtune/reference-model';
import { Serdes } from '@streamtune/streams';
import { TopologyTestDriver } from '@streamtune/streams/testing';
import { describe, expect, it } from 'vitest';
import { checkout } from '../src/service';

const windows = scaleJoinWindows(DEFAULT_JOIN_WINDOWS, 0.1);
const { sizeMs, graceMs } = revenueWindow(windows);
const base = (id: string, t: number) => ({ id, eventTime: t, createdAt: t, payload: '' });

describe('checkout: revenue per warehouse and window', () => {
  it('emits each window once, after it closes, with the orders and revenue of its confirmed orders', async () => {
    const topics = pipelineTopics('');
    const driver = new TopologyTestDriver(checkout.topology({ topics, windows }), {
      applicationId: 'checkout-test',
    });
    const json = { keySerde: Serdes.string(), valueSerde: Serdes.json<object>() };
    const input = (t: string) => driver.createInputTopic<string, object>(t, json);
    const orders = input(topics.inputs.orders);
    const payments = input(topics.inputs.payments);
    const checks = input(topics.inputs['fraud-checks']);
    const reservations = input(topics.inputs['inventory-reservations']);
    const place = async (seq: number, t: number, totalCents: number, warehouse: string) => {
      const orderId = `o${seq}`;
      await orders.pipeInput(
        orderId,
        {
          ...base(`ord${seq}`, t),
          type: 'order',
          orderId,
          sessionId: null,
          customerId: 'c',
          items: [{ sku: 's', quantity: 1, priceCents: totalCents }],
          totalCents,
          currency: 'EUR',
        },
        t,
      );
      await payments.pipeInput(
        orderId,
        { ...base(`pay${seq}`, t + 10), type: 'payment', orderId, method: 'card', amountCents: totalCents },
        t + 10,
      );
      await checks.pipeInput(
        orderId,
        { ...base(`fc${seq}`, t + 20), type: 'fraud-check', orderId, score: 0.1, verdict: 'approve' },
        t + 20,
      );
      await reservations.pipeInput(
        orderId,
        { ...base(`inv${seq}`, t + 30), type: 'inventory-reservation', orderId, warehouse, skus: ['s'] },
        t + 30,
      );
    };
    const out = driver.createOutputTopic<string, WarehouseRevenue>(topics.aggregates['warehouse-revenue'], {
      keySerde: Serdes.string(),
      valueSerde: Serdes.json<WarehouseRevenue>(),
    });
    await place(0, 1_000, 500, 'ams-1');
    await place(1, 2_000, 700, 'ams-1');
    await place(2, 2_500, 100, 'fra-2');
    await place(3, sizeMs + 100, 900, 'ams-1');
    expect(out.readRecordsToList()).toEqual([]); // nothing closed yet
    // stream time past the first window's end + grace, for both warehouses' results
    await place(4, sizeMs + graceMs + 100, 1, 'ams-1');
    await place(5, sizeMs + graceMs + 200, 1, 'fra-2');
    const emitted = out.readValuesToList().map(({ createdAt: _c, ...w }) => w);
    expect(emitted).toEqual([
      {
        id: 'ams-1@0',
        warehouse: 'ams-1',
        windowStart: 0,
        windowEnd: sizeMs,
        orders: 2,
        revenueCents: 1_200,
      },
      { id: 'fra-2@0', warehouse: 'fra-2', windowStart: 0, windowEnd: sizeMs, orders: 1, revenueCents: 100 },
    ]);
    await driver.close();
  });

  it('the verifier expects exact windows from the manifest (warehouse and total per order)', () => {
    const startedAt = 0;
    const order = (seq: number, ts: number, warehouse: string, totalCents: number, drain = false) => ({
      kind: 'order',
      seq,
      orderId: `o${seq}`,
      sessionId: null,
      drain,
      missing: ['deliveries'],
      late: [],
      outOfOrder: [],
      malformed: [],
      totalCents,
      warehouse,
      events: {
        orders: { id: `ord${seq}`, ts },
        payments: { id: `pay${seq}`, ts: ts + 10 },
        'fraud-checks': { id: `fc${seq}`, ts: ts + 20 },
        'inventory-reservations': { id: `inv${seq}`, ts: ts + 30 },
        shipments: { id: `shp${seq}`, ts: ts + 40 },
      },
    });
    const lines = [
      {
        kind: 'header',
        version: 1,
        seed: 's',
        topicPrefix: '',
        partitions: 1,
        startedAt,
        windows,
        options: {},
      },
      order(0, 1_000, 'ams-1', 500),
      order(1, 2_000, 'ams-1', 700),
      order(2, 2_500, 'fra-2', 100, true),
    ].map((l) => JSON.stringify(l));
    const manifest = parseManifestLines(lines);
    const windowsExpected = expectedWarehouseRevenue(manifest, expectedResults(manifest)['orders-confirmed']);
    expect(windowsExpected).toEqual([
      {
        id: 'ams-1@0',
        warehouse: 'ams-1',
        windowStart: 0,
        orders: 2,
        revenueCents: 1_200,
        optionalOrders: 0,
        optionalRevenueCents: 0,
        required: true,
      },
      {
        id: 'fra-2@0',
        warehouse: 'fra-2',
        windowStart: 0,
        orders: 0,
        revenueCents: 0,
        optionalOrders: 1,
        optionalRevenueCents: 100,
        required: false,
      },
    ]);
  });
});
