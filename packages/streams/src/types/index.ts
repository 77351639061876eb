/** Record headers as they travel on the wire. */
export type Headers = Record<string, Buffer>;

/** A record inside a topology: typed key and value, its timestamp and headers. */
export interface StreamRecord<K, V> {
  readonly key: K;
  readonly value: V;
  /** Epoch milliseconds; from the Kafka record unless a timestamp extractor says otherwise. */
  readonly timestamp: number;
  readonly headers: Headers;
}

/** Where the record being processed came from; null for records a punctuator creates. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}

export interface TimeWindow {
  /** Inclusive, epoch ms. */
  readonly start: number;
  /** Inclusive for join windows, as in Kafka Streams. */
  readonly end: number;
}

export interface Windowed<K> {
  readonly key: K;
  readonly window: TimeWindow;
}

/** A task is one partition number of one sub-topology: Kafka Streams' `0_3`. */
export interface TaskId {
  readonly subtopology: number;
  readonly partition: number;
}

export function taskIdToString(id: TaskId): string {
  return `${id.subtopology}_${id.partition}`;
}

export function record<K, V>(key: K, value: V, timestamp: number, headers: Headers = {}): StreamRecord<K, V> {
  return { key, value, timestamp, headers };
}
