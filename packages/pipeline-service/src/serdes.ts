import {
  decodeInput,
  decodeOutput,
  encodeEvent,
  type InputEvents,
  type InputTopic,
  type OutputEvents,
  type OutputTopic,
} from '@streamtune/reference-model';
import type { Serde } from '@streamtune/streams';

/**
 * Serdes that validate each topic's shape. A record that fails throws, which the runtime's
 * deserialization handler turns into a dead letter (logAndContinue in every profile).
 * The base name is used, not the physical (prefixed) topic the runtime passes in.
 */
export function inputSerde<T extends InputTopic>(topic: T): Serde<InputEvents[T]> {
  return {
    serialize: (_topic, data) => (data === null ? null : encodeEvent(data)),
    deserialize: (_topic, bytes) => decodeInput(topic, bytes),
  };
}

export function outputSerde<T extends OutputTopic>(topic: T): Serde<OutputEvents[T]> {
  return {
    serialize: (_topic, data) => (data === null ? null : encodeEvent(data)),
    deserialize: (_topic, bytes) => decodeOutput(topic, bytes),
  };
}
