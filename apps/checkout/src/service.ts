import { fileURLToPath } from 'node:url';
import { inputSerde, joinWindowsOf, outputSerde, type ServiceDefinition } from '@streamtune/pipeline-service';
import {
  addConfirmed,
  emptyRevenue,
  joinOrderPayment,
  joinPaidFraudCheck,
  joinScreenedReservation,
  revenueWindow,
  toWarehouseRevenue,
  WAREHOUSE_REVENUE_GROUPING,
  type RevenueAggregate,
  type WarehouseRevenue,
} from '@streamtune/reference-model';
import { Serdes, StreamsBuilder, Suppressed, TimeWindows } from '@streamtune/streams';

/**
 * Checkout: an order is paid (inner join with its payment), screened (left join: a missing
 * fraud check still lets the order through, as "unchecked"), and confirmed once stock is
 * reserved (inner join); confirmed orders are summed per warehouse and window (revenue,
 * order count), emitted once per window when it closes.
 */
export const checkout: ServiceDefinition = {
  service: 'checkout',
  profilesDir: fileURLToPath(new URL('../profiles', import.meta.url)),
  topology({ topics, windows }) {
    const builder = new StreamsBuilder();
    const key = Serdes.string();
    const orders = builder.stream(topics.inputs.orders, { keySerde: key, valueSerde: inputSerde('orders') });
    const payments = builder.stream(topics.inputs.payments, {
      keySerde: key,
      valueSerde: inputSerde('payments'),
    });
    const fraudChecks = builder.stream(topics.inputs['fraud-checks'], {
      keySerde: key,
      valueSerde: inputSerde('fraud-checks'),
    });
    const reservations = builder.stream(topics.inputs['inventory-reservations'], {
      keySerde: key,
      valueSerde: inputSerde('inventory-reservations'),
    });

    const paid = orders.join(payments, joinOrderPayment, joinWindowsOf(windows, 'orders-paid'), {
      name: 'orders-paid',
      storeName: 'orders-paid',
    });
    paid.to(topics.outputs['orders-paid'], {
      keySerde: key,
      valueSerde: outputSerde('orders-paid'),
      named: 'orders-paid-sink',
    });

    const screened = paid.leftJoin(
      fraudChecks,
      joinPaidFraudCheck,
      joinWindowsOf(windows, 'orders-screened'),
      {
        name: 'orders-screened',
        storeName: 'orders-screened',
        valueSerde: outputSerde('orders-paid'),
      },
    );
    screened.to(topics.outputs['orders-screened'], {
      keySerde: key,
      valueSerde: outputSerde('orders-screened'),
      named: 'orders-screened-sink',
    });

    const confirmed = screened.join(
      reservations,
      joinScreenedReservation,
      joinWindowsOf(windows, 'orders-confirmed'),
      {
        name: 'orders-confirmed',
        storeName: 'orders-confirmed',
        valueSerde: outputSerde('orders-screened'),
      },
    );
    confirmed.to(topics.outputs['orders-confirmed'], {
      keySerde: key,
      valueSerde: outputSerde('orders-confirmed'),
      named: 'orders-confirmed-sink',
    });

    // revenue and orders per warehouse per window, final results only
    const revenue = revenueWindow(windows);
    confirmed
      .groupBy((_orderId, order) => order.warehouse, {
        name: WAREHOUSE_REVENUE_GROUPING,
        keySerde: key,
        valueSerde: outputSerde('orders-confirmed'),
      })
      .windowedBy(TimeWindows.ofSizeAndGrace(revenue.sizeMs, revenue.graceMs))
      .aggregate(emptyRevenue, (_warehouse, order, agg) => addConfirmed(order, agg), {
        storeName: 'warehouse-revenue-store',
        valueSerde: Serdes.json<RevenueAggregate>(),
      })
      .suppress(Suppressed.untilWindowCloses().withName('warehouse-revenue-suppress'))
      .toStream()
      .map((w, agg) => ({ key: w.key, value: toWarehouseRevenue(w.key, w.window, agg) }))
      .to(topics.aggregates['warehouse-revenue'], {
        keySerde: key,
        valueSerde: Serdes.json<WarehouseRevenue>(),
        named: 'warehouse-revenue-sink',
      });
    return builder.build();
  },
};
