/**
 * What flows between the nodes of a KTable (Kafka Streams' Change): the new value of a
 * key and, when a downstream node asked for it (sendOldValues), the previous one. null
 * new value: the key was deleted (a tombstone downstream).
 */
export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
}

/**
 * Per-node switch that downstream nodes flip while the topology is built (Kafka Streams'
 * enableSendingOldValues); processors read it when they are created, at task start.
 */
export interface SendOldValues {
  sendOldValues: boolean;
}

export function isPresent<T>(v: T | null | undefined): v is T {
  return v !== null && v !== undefined;
}
