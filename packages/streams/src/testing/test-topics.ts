import type { Deserializer, Serializer } from '../serdes/serde';
import type { Headers, KeyValue } from '../types/index';

export interface TestRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
  readonly headers: Headers;
}

export interface TopicSerdes<K, V> {
  keySerde?: Serializer<K> & Deserializer<K>;
  valueSerde?: Serializer<V> & Deserializer<V>;
}

/** Kafka Streams' TestInputTopic: pipes records into the driver. */
export class TestInputTopic<K, V> {
  constructor(
    readonly name: string,
    private readonly pipe: (
      key: K | null,
      value: V | null,
      timestamp: number | undefined,
      headers: Headers,
    ) => Promise<void>,
  ) {}

  /** Timestamp defaults to the driver's wall-clock time. */
  pipeInput(key: K | null, value: V | null, timestampMs?: number, headers: Headers = {}): Promise<void> {
    return this.pipe(key, value, timestampMs, headers);
  }

  async pipeValueList(values: readonly V[], timestampMs?: number): Promise<void> {
    for (const v of values) await this.pipe(null, v, timestampMs, {});
  }

  async pipeKeyValueList(records: ReadonlyArray<KeyValue<K, V>>, timestampMs?: number): Promise<void> {
    for (const r of records) await this.pipe(r.key, r.value, timestampMs, {});
  }
}

/** Kafka Streams' TestOutputTopic: reads what sinks wrote, each record once. */
export class TestOutputTopic<K, V> {
  constructor(
    readonly name: string,
    private readonly take: () => TestRecord<K, V>[],
    private readonly size: () => number,
  ) {}

  readRecordsToList(): TestRecord<K, V>[] {
    return this.take();
  }

  readKeyValuesToList(): Array<KeyValue<K, V>> {
    return this.take().map(({ key, value }) => ({ key, value }));
  }

  readValuesToList(): V[] {
    return this.take().map((r) => r.value);
  }

  getQueueSize(): number {
    return this.size();
  }

  isEmpty(): boolean {
    return this.size() === 0;
  }
}
