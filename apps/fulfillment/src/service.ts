import { fileURLToPath } from 'node:url';
import { inputSerde, joinWindowsOf, outputSerde, type ServiceDefinition } from '@streamtune/pipeline-service';
import { joinConfirmedShipment, joinShippedDelivery } from '@streamtune/reference-model';
import { Serdes, StreamsBuilder } from '@streamtune/streams';

/**
 * Fulfillment: a confirmed order (from checkout) ships (inner join with its shipment) and
 * is fulfilled (left join: a lost delivery scan still closes the order).
 */
export const fulfillment: ServiceDefinition = {
  service: 'fulfillment',
  profilesDir: fileURLToPath(new URL('../profiles', import.meta.url)),
  topology({ topics, windows }) {
    const builder = new StreamsBuilder();
    const key = Serdes.string();
    const confirmed = builder.stream(topics.outputs['orders-confirmed'], {
      keySerde: key,
      valueSerde: outputSerde('orders-confirmed'),
    });
    const shipments = builder.stream(topics.inputs.shipments, {
      keySerde: key,
      valueSerde: inputSerde('shipments'),
    });
    const deliveries = builder.stream(topics.inputs.deliveries, {
      keySerde: key,
      valueSerde: inputSerde('deliveries'),
    });

    const shipped = confirmed.join(
      shipments,
      joinConfirmedShipment,
      joinWindowsOf(windows, 'orders-shipped'),
      {
        name: 'orders-shipped',
        storeName: 'orders-shipped',
      },
    );
    shipped.to(topics.outputs['orders-shipped'], {
      keySerde: key,
      valueSerde: outputSerde('orders-shipped'),
      named: 'orders-shipped-sink',
    });

    shipped
      .leftJoin(deliveries, joinShippedDelivery, joinWindowsOf(windows, 'orders-fulfilled'), {
        name: 'orders-fulfilled',
        storeName: 'orders-fulfilled',
        valueSerde: outputSerde('orders-shipped'),
      })
      .to(topics.outputs['orders-fulfilled'], {
        keySerde: key,
        valueSerde: outputSerde('orders-fulfilled'),
        named: 'orders-fulfilled-sink',
      });
    return builder.build();
  },
};
