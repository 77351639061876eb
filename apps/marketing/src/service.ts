import { fileURLToPath } from 'node:url';
import { inputSerde, joinWindowsOf, outputSerde, type ServiceDefinition } from '@streamtune/pipeline-service';
import {
  ORDERS_BY_SESSION,
  isAttributable,
  joinAttributedFulfilled,
  joinClickPageView,
  joinOrderEngagement,
} from '@streamtune/reference-model';
import { Serdes, StreamsBuilder } from '@streamtune/streams';

/**
 * Marketing: sessions with an ad click and a page view are engaged (inner join by session);
 * orders are re-keyed by session through a repartition topic and attributed to an engaged
 * session when there is one (left join); attributed orders, re-keyed back by order, meet
 * the fulfilment results of the other two services (outer join: either may be missing).
 */
export const marketing: ServiceDefinition = {
  service: 'marketing',
  profilesDir: fileURLToPath(new URL('../profiles', import.meta.url)),
  topology({ topics, windows }) {
    const builder = new StreamsBuilder();
    const key = Serdes.string();
    const clicks = builder.stream(topics.inputs['ad-clicks'], {
      keySerde: key,
      valueSerde: inputSerde('ad-clicks'),
    });
    const views = builder.stream(topics.inputs['page-views'], {
      keySerde: key,
      valueSerde: inputSerde('page-views'),
    });
    const orders = builder.stream(topics.inputs.orders, { keySerde: key, valueSerde: inputSerde('orders') });
    const fulfilled = builder.stream(topics.outputs['orders-fulfilled'], {
      keySerde: key,
      valueSerde: outputSerde('orders-fulfilled'),
    });

    const engaged = clicks.join(views, joinClickPageView, joinWindowsOf(windows, 'engaged-sessions'), {
      name: 'engaged-sessions',
      storeName: 'engaged-sessions',
    });
    engaged.to(topics.outputs['engaged-sessions'], {
      keySerde: key,
      valueSerde: outputSerde('engaged-sessions'),
      named: 'engaged-sessions-sink',
    });

    const ordersBySession = orders
      .filter((_orderId, order) => isAttributable(order))
      .selectKey((_orderId, order) => order.sessionId as string)
      .repartition({ name: ORDERS_BY_SESSION, keySerde: key, valueSerde: inputSerde('orders') });

    const attributed = ordersBySession
      .leftJoin(engaged, joinOrderEngagement, joinWindowsOf(windows, 'attributed-orders'), {
        name: 'attributed-orders',
        storeName: 'attributed-orders',
        otherValueSerde: outputSerde('engaged-sessions'),
      })
      .selectKey((_sessionId, result) => result.orderId)
      .repartition({
        name: 'attributed-by-order',
        keySerde: key,
        valueSerde: outputSerde('attributed-orders'),
      });
    attributed.to(topics.outputs['attributed-orders'], {
      keySerde: key,
      valueSerde: outputSerde('attributed-orders'),
      named: 'attributed-orders-sink',
    });

    attributed
      .outerJoin(fulfilled, joinAttributedFulfilled, joinWindowsOf(windows, 'order-outcomes'), {
        name: 'order-outcomes',
        storeName: 'order-outcomes',
      })
      .to(topics.outputs['order-outcomes'], {
        keySerde: key,
        valueSerde: outputSerde('order-outcomes'),
        named: 'order-outcomes-sink',
      });
    return builder.build();
  },
};
