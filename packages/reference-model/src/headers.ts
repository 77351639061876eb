/**
 * Epoch ms at which the load generator created the record (wall clock), as a
 * decimal string. End-to-end latency is measured from it, so queueing inside the
 * generator or the broker counts too.
 */
export const CREATED_AT_HEADER = 'streamtune-created-at';

/** The input event type (`order`, `payment`, ...), to tell records apart on the wire. */
export const EVENT_TYPE_HEADER = 'streamtune-event-type';

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined | null;

/** The creation time from a header map (kafkajs or StreamRecord shape), or undefined when absent or garbled. */
export function readCreatedAt(headers: Record<string, HeaderValue> | undefined): number | undefined {
  let raw = headers?.[CREATED_AT_HEADER];
  if (Array.isArray(raw)) raw = raw[0];
  if (raw === undefined || raw === null) return undefined;
  const value = Number(raw.toString());
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function createdAtHeader(createdAt: number): Record<string, string> {
  return { [CREATED_AT_HEADER]: String(createdAt) };
}
