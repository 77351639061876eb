import type { Deserializer } from '../../serdes/serde';
import type { TimestampExtractor } from '../../topology/nodes';
import type { RawRecord } from './types';

export type HeadRecord =
  | {
      readonly ok: true;
      readonly raw: RawRecord;
      readonly key: unknown;
      readonly value: unknown;
      readonly timestamp: number;
    }
  | { readonly ok: false; readonly raw: RawRecord; readonly error: Error; readonly timestamp: number };

/**
 * The buffered records of one input partition of a task (Kafka Streams' RecordQueue).
 * The head is deserialized when it becomes the head, because the timestamp that orders
 * partitions within a task may come from an extractor that reads key and value.
 */
export class PartitionQueue {
  private records: RawRecord[] = [];
  private start = 0;
  private headRecord: HeadRecord | undefined;
  /** Largest timestamp extracted on this partition (-1 before any): the extractor's partitionTime. */
  partitionTime = -1;
  /** Offset after the last record taken from this queue (what the commit writes). */
  nextOffset: string | undefined;
  /**
   * Records on the broker after the last fetched one, as of that fetch (undefined: no fetch
   * seen). An empty queue with lag > 0 has older records on their way (max.task.idle.ms = 0).
   */
  fetchLag: number | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly keySerde: Deserializer<unknown>,
    private readonly valueSerde: Deserializer<unknown>,
    private readonly extractor: TimestampExtractor | undefined,
  ) {}

  add(records: readonly RawRecord[]): void {
    for (const r of records) this.records.push(r);
  }

  get size(): number {
    return this.records.length - this.start + (this.headRecord ? 1 : 0);
  }

  /** The next record, deserialized; undefined when empty. */
  head(): HeadRecord | undefined {
    if (this.headRecord) return this.headRecord;
    if (this.start >= this.records.length) return undefined;
    const raw = this.records[this.start]!;
    this.records[this.start++] = undefined as unknown as RawRecord;
    if (this.start > 1024 && this.start * 2 > this.records.length) {
      this.records = this.records.slice(this.start);
      this.start = 0;
    }
    this.headRecord = this.decode(raw);
    return this.headRecord;
  }

  take(): HeadRecord | undefined {
    const head = this.head();
    this.headRecord = undefined;
    if (head) {
      this.nextOffset = (BigInt(head.raw.offset) + 1n).toString();
      if (head.ok && head.timestamp > this.partitionTime) this.partitionTime = head.timestamp;
    }
    return head;
  }

  /** Drops everything buffered (the partition is re-fetched from the committed or processed position). */
  clear(): void {
    this.records = [];
    this.start = 0;
    this.headRecord = undefined;
  }

  private decode(raw: RawRecord): HeadRecord {
    let key: unknown;
    let value: unknown;
    try {
      key = this.keySerde.deserialize(this.topic, raw.key, raw.headers);
      value = this.valueSerde.deserialize(this.topic, raw.value, raw.headers);
    } catch (e) {
      return { ok: false, raw, error: asError(e), timestamp: raw.timestamp };
    }
    let timestamp = raw.timestamp;
    if (this.extractor) {
      try {
        timestamp = this.extractor(
          { topic: this.topic, timestamp: raw.timestamp, key, value, headers: raw.headers },
          this.partitionTime,
        );
      } catch (e) {
        return { ok: false, raw, error: asError(e), timestamp: raw.timestamp };
      }
    }
    if (!Number.isFinite(timestamp) || timestamp < 0) {
      const error = new Error(
        `invalid timestamp ${timestamp} for ${this.topic}-${this.partition}@${raw.offset}`,
      );
      return { ok: false, raw, error, timestamp: raw.timestamp };
    }
    return { ok: true, raw, key, value, timestamp };
  }
}

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
