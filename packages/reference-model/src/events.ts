import { z } from 'zod';
import type { InputTopic } from './topics';

/**
 * Fields every input event carries. `eventTime` is when it happened (the Kafka
 * timestamp, which windows use); `createdAt` is when the generator made the
 * record (also in a header), so e2e latency starts at the source; `payload`
 * pads the record to a realistic size.
 */
const base = {
  id: z.string().min(1),
  eventTime: z.number().int().nonnegative(),
  createdAt: z.number().int().nonnegative(),
  payload: z.string(),
};

export const orderPlacedSchema = z.object({
  ...base,
  type: z.literal('order'),
  orderId: z.string().min(1),
  /** Null for orders placed outside a web session (API, phone): they are never attributed. */
  sessionId: z.string().min(1).nullable(),
  customerId: z.string(),
  items: z.array(
    z.object({ sku: z.string(), quantity: z.number().int().positive(), priceCents: z.number().int() }),
  ),
  totalCents: z.number().int(),
  currency: z.string(),
});

export const paymentSchema = z.object({
  ...base,
  type: z.literal('payment'),
  orderId: z.string().min(1),
  method: z.enum(['card', 'paypal', 'invoice', 'gift-card']),
  amountCents: z.number().int(),
});

export const fraudCheckSchema = z.object({
  ...base,
  type: z.literal('fraud-check'),
  orderId: z.string().min(1),
  score: z.number(),
  verdict: z.enum(['approve', 'review']),
});

export const inventoryReservationSchema = z.object({
  ...base,
  type: z.literal('inventory-reservation'),
  orderId: z.string().min(1),
  warehouse: z.string(),
  skus: z.array(z.string()),
});

export const shipmentSchema = z.object({
  ...base,
  type: z.literal('shipment'),
  orderId: z.string().min(1),
  carrier: z.string(),
  trackingNumber: z.string(),
});

export const deliverySchema = z.object({
  ...base,
  type: z.literal('delivery'),
  orderId: z.string().min(1),
  signedBy: z.string().nullable(),
});

export const adClickSchema = z.object({
  ...base,
  type: z.literal('ad-click'),
  sessionId: z.string().min(1),
  campaignId: z.string(),
});

export const pageViewSchema = z.object({
  ...base,
  type: z.literal('page-view'),
  sessionId: z.string().min(1),
  url: z.string(),
});

export type OrderPlaced = z.infer<typeof orderPlacedSchema>;
export type Payment = z.infer<typeof paymentSchema>;
export type FraudCheck = z.infer<typeof fraudCheckSchema>;
export type InventoryReservation = z.infer<typeof inventoryReservationSchema>;
export type Shipment = z.infer<typeof shipmentSchema>;
export type Delivery = z.infer<typeof deliverySchema>;
export type AdClick = z.infer<typeof adClickSchema>;
export type PageView = z.infer<typeof pageViewSchema>;

/** The value type of each input topic. */
export interface InputEvents {
  orders: OrderPlaced;
  payments: Payment;
  'fraud-checks': FraudCheck;
  'inventory-reservations': InventoryReservation;
  shipments: Shipment;
  deliveries: Delivery;
  'ad-clicks': AdClick;
  'page-views': PageView;
}

export type InputEvent = InputEvents[InputTopic];

export const inputSchemas: { [T in InputTopic]: z.ZodType<InputEvents[T]> } = {
  orders: orderPlacedSchema,
  payments: paymentSchema,
  'fraud-checks': fraudCheckSchema,
  'inventory-reservations': inventoryReservationSchema,
  shipments: shipmentSchema,
  deliveries: deliverySchema,
  'ad-clicks': adClickSchema,
  'page-views': pageViewSchema,
};

/** The `type` field (and EVENT_TYPE_HEADER value) of each input topic's events. */
export const EVENT_TYPES: { [T in InputTopic]: InputEvents[T]['type'] } = {
  orders: 'order',
  payments: 'payment',
  'fraud-checks': 'fraud-check',
  'inventory-reservations': 'inventory-reservation',
  shipments: 'shipment',
  deliveries: 'delivery',
  'ad-clicks': 'ad-click',
  'page-views': 'page-view',
};

/** Order-lifecycle topics are keyed by orderId; the session topics by sessionId. */
export const KEY_FIELD: { [T in InputTopic]: 'orderId' | 'sessionId' } = {
  orders: 'orderId',
  payments: 'orderId',
  'fraud-checks': 'orderId',
  'inventory-reservations': 'orderId',
  shipments: 'orderId',
  deliveries: 'orderId',
  'ad-clicks': 'sessionId',
  'page-views': 'sessionId',
};
