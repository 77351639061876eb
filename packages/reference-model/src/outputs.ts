import { z } from 'zod';
import type { OutputTopic } from './topics';

/**
 * Join results. Each carries `id`, built from the ids of the records joined
 * (`[left+right]`, `_` for a missing side), so the verifier can name every
 * expected result and spot duplicates; `createdAt`, the latest creation time of
 * its inputs, so latency is measured from the moment the result became possible;
 * and the left side's payload, so records stay realistically large downstream.
 */
const result = {
  id: z.string().min(1),
  createdAt: z.number().int().nonnegative(),
  payload: z.string(),
};

export const orderPaidSchema = z.object({
  ...result,
  orderId: z.string(),
  sessionId: z.string().nullable(),
  customerId: z.string(),
  totalCents: z.number().int(),
  paymentMethod: z.string(),
});

export const orderScreenedSchema = orderPaidSchema.extend({
  /** `unchecked` when no fraud check arrived within the window (left join). */
  fraudVerdict: z.enum(['approve', 'review', 'unchecked']),
});

export const orderConfirmedSchema = orderScreenedSchema.extend({ warehouse: z.string() });

export const orderShippedSchema = orderConfirmedSchema.extend({
  carrier: z.string(),
  trackingNumber: z.string(),
});

export const orderFulfilledSchema = orderShippedSchema.extend({
  /** False when no delivery confirmation arrived within the window (left join). */
  delivered: z.boolean(),
});

export const engagedSessionSchema = z.object({
  ...result,
  sessionId: z.string(),
  campaignId: z.string(),
  url: z.string(),
});

export const attributedOrderSchema = z.object({
  ...result,
  orderId: z.string(),
  sessionId: z.string(),
  customerId: z.string(),
  totalCents: z.number().int(),
  /** Null when the session had no engagement within the window (left join). */
  campaignId: z.string().nullable(),
});

export const orderOutcomeSchema = z.object({
  ...result,
  orderId: z.string(),
  attributed: z.boolean(),
  campaignId: z.string().nullable(),
  fulfilled: z.boolean(),
  delivered: z.boolean().nullable(),
  totalCents: z.number().int(),
});

export type OrderPaid = z.infer<typeof orderPaidSchema>;
export type OrderScreened = z.infer<typeof orderScreenedSchema>;
export type OrderConfirmed = z.infer<typeof orderConfirmedSchema>;
export type OrderShipped = z.infer<typeof orderShippedSchema>;
export type OrderFulfilled = z.infer<typeof orderFulfilledSchema>;
export type EngagedSession = z.infer<typeof engagedSessionSchema>;
export type AttributedOrder = z.infer<typeof attributedOrderSchema>;
export type OrderOutcome = z.infer<typeof orderOutcomeSchema>;

export interface OutputEvents {
  'orders-paid': OrderPaid;
  'orders-screened': OrderScreened;
  'orders-confirmed': OrderConfirmed;
  'orders-shipped': OrderShipped;
  'orders-fulfilled': OrderFulfilled;
  'engaged-sessions': EngagedSession;
  'attributed-orders': AttributedOrder;
  'order-outcomes': OrderOutcome;
}

export const outputSchemas: { [T in OutputTopic]: z.ZodType<OutputEvents[T]> } = {
  'orders-paid': orderPaidSchema,
  'orders-screened': orderScreenedSchema,
  'orders-confirmed': orderConfirmedSchema,
  'orders-shipped': orderShippedSchema,
  'orders-fulfilled': orderFulfilledSchema,
  'engaged-sessions': engagedSessionSchema,
  'attributed-orders': attributedOrderSchema,
  'order-outcomes': orderOutcomeSchema,
};

/** The id of a join result: the verifier derives the same ids from the manifest. */
export function joinId(left: string | null, right: string | null): string {
  return `[${left ?? '_'}+${right ?? '_'}]`;
}
