import type { Message } from 'kafkajs';
import { CREATED_AT_HEADER, EVENT_TYPE_HEADER, encodeEvent } from '@streamtune/reference-model';
import { payloadFor } from './payload';
import type { PlannedSend } from './plan';

/**
 * The Kafka message for a planned send. The Kafka timestamp is the event time
 * (windows use it); `createdAt` (value and header) is the wall clock now, the
 * start of the end-to-end latency.
 */
export function toMessage(send: PlannedSend, startedAt: number, now: number): Message {
  const eventTime = startedAt + send.eventTime;
  const headers = { [CREATED_AT_HEADER]: String(now), [EVENT_TYPE_HEADER]: send.fields.type };
  if (send.malformed) {
    return { key: send.key, value: garbled(send), timestamp: String(eventTime), headers };
  }
  const value = encodeEvent({
    ...send.fields,
    eventTime,
    createdAt: now,
    payload: payloadFor(send.fields.id, send.payloadLength),
  });
  return { key: send.key, value, timestamp: String(eventTime), headers };
}

/** A record cut off mid-object and followed by bytes no JSON parser accepts: what a broken producer sends. */
export function garbled(send: PlannedSend): Buffer {
  const start = JSON.stringify({ type: send.fields.type, id: send.fields.id }).slice(0, -1);
  return Buffer.concat([
    Buffer.from(`${start},"payload":"`),
    Buffer.from([0xff, 0xfe, 0x00]),
    Buffer.from('\u0001'),
  ]);
}
