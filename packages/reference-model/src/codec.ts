import type { z } from 'zod';
import { inputSchemas, type InputEvents } from './events';
import { outputSchemas, type OutputEvents } from './outputs';
import type { InputTopic, OutputTopic } from './topics';

/** A record that is not JSON or not of its topic's shape. Services dead-letter these. */
export class MalformedRecordError extends Error {
  constructor(
    readonly topic: string,
    readonly reason: string,
  ) {
    super(`malformed record on ${topic}: ${reason}`);
    this.name = 'MalformedRecordError';
  }
}

export function encodeEvent(value: object): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function decodeWith<T>(topic: string, schema: z.ZodType<T>, bytes: Buffer | string | null): T {
  if (bytes === null) throw new MalformedRecordError(topic, 'null value');
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString());
  } catch (err) {
    throw new MalformedRecordError(topic, `not JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new MalformedRecordError(
      topic,
      `${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** Decodes and validates an input event; throws MalformedRecordError. */
export function decodeInput<T extends InputTopic>(topic: T, bytes: Buffer | string | null): InputEvents[T] {
  return decodeWith(topic, inputSchemas[topic] as z.ZodType<InputEvents[T]>, bytes);
}

/** Decodes and validates a join result; throws MalformedRecordError. */
export function decodeOutput<T extends OutputTopic>(
  topic: T,
  bytes: Buffer | string | null,
): OutputEvents[T] {
  return decodeWith(topic, outputSchemas[topic] as z.ZodType<OutputEvents[T]>, bytes);
}
