import {
  LatencyRecorder,
  ThroughputCounter,
  type LatencySummary,
  type ThroughputSummary,
} from '@streamtune/perf';
import type { WarehouseRevenue } from '@streamtune/reference-model';

export interface Expected {
  id: string;
  required: boolean;
  sides?: 'both' | 'left' | 'right';
}

/** What the verifier took from one record it read. */
export interface Observation {
  /** Logical topic name (without prefix). */
  topic: string;
  /** The result's id, or undefined when the record could not be decoded. */
  id: string | undefined;
  /** warehouse-revenue results: the decoded window, whose counts are checked too. */
  revenue?: WarehouseRevenue;
  invalidReason?: string;
  /**
   * For a record that did not decode: what identifies it (key, timestamp, bytes), so a copy
   * of it (at-least-once: kafkajs resends a whole request when one partition's leader is
   * not ready yet) counts as a duplicate, not as another malformed record.
   */
  fingerprint?: string;
  arrivalMs: number;
  /** arrival - creation time, when known and the record was not backlog. */
  latencyMs: number | undefined;
  backlog: boolean;
}

export interface TopicReport {
  topic: string;
  expected: number;
  required: number;
  received: number;
  /** Required results seen at least once / required results; 1 when nothing is required. */
  completeness: number;
  missing: number;
  missingSamples: string[];
  /** Copies beyond the first of a result or of a malformed record (at-least-once shows here). */
  duplicates: number;
  duplicateSamples: string[];
  /** Decoded results the manifest does not explain. */
  unexpected: number;
  unexpectedSamples: string[];
  /** Distinct records that did not decode as this topic's type (copies are duplicates). */
  invalid: number;
  invalidSamples: string[];
  /** Results involving drain traffic that arrived (not required). */
  optionalSeen: number;
  /** For left/outer joins: results per shape (joined, or one side alone), expected required vs seen. */
  sides?: Record<string, { expected: number; seen: number }>;
  latencyMs: LatencySummary;
  /** Records already in the topic when the verifier started: not in the latency figures. */
  backlogRecords: number;
  throughput: ThroughputSummary;
  /** When the last required result arrived (epoch ms), if all did. */
  completedAt: number | undefined;
}

const SAMPLES = 10;

/** Expected vs seen for one topic, by result id. */
export class TopicTally {
  private readonly expected = new Map<string, Expected>();
  private readonly seen = new Map<string, number>();
  private readonly required: number;
  private requiredSeen = 0;
  private lastRequiredAt = 0;
  private received = 0;
  private unexpected = 0;
  private readonly unexpectedSamples: string[] = [];
  private invalid = 0;
  private readonly invalidSamples: string[] = [];
  /** Malformed records by fingerprint: how often each was read. */
  private readonly invalidSeen = new Map<string, number>();
  private backlog = 0;
  private readonly latency = new LatencyRecorder();
  private readonly throughput = new ThroughputCounter();

  constructor(
    readonly topic: string,
    expected: Expected[],
  ) {
    for (const e of expected) this.expected.set(e.id, e);
    this.required = expected.filter((e) => e.required).length;
  }

  add(o: Observation): void {
    this.received++;
    this.throughput.add(1, o.arrivalMs);
    if (o.backlog) this.backlog++;
    else if (o.latencyMs !== undefined) this.latency.recordMs(o.latencyMs);
    if (o.id === undefined) {
      if (o.fingerprint !== undefined) {
        const copies = (this.invalidSeen.get(o.fingerprint) ?? 0) + 1;
        this.invalidSeen.set(o.fingerprint, copies);
        if (copies > 1) return;
      }
      this.invalid++;
      if (this.invalidSamples.length < SAMPLES) this.invalidSamples.push(o.invalidReason ?? 'undecodable');
      return;
    }
    const count = (this.seen.get(o.id) ?? 0) + 1;
    this.seen.set(o.id, count);
    const expected = this.expected.get(o.id);
    if (!expected) {
      if (count === 1) {
        this.unexpected++;
        if (this.unexpectedSamples.length < SAMPLES) this.unexpectedSamples.push(o.id);
      }
      return;
    }
    if (count === 1 && expected.required) {
      this.requiredSeen++;
      this.lastRequiredAt = Math.max(this.lastRequiredAt, o.arrivalMs);
    }
  }

  get complete(): boolean {
    return this.requiredSeen === this.required;
  }

  get completeness(): number {
    return this.required === 0 ? 1 : this.requiredSeen / this.required;
  }

  report(): TopicReport {
    const missingSamples: string[] = [];
    let missing = 0;
    let optionalSeen = 0;
    const sides: Record<string, { expected: number; seen: number }> = {};
    for (const e of this.expected.values()) {
      const seen = this.seen.has(e.id);
      if (e.required && !seen) {
        missing++;
        if (missingSamples.length < SAMPLES) missingSamples.push(e.id);
      }
      if (!e.required && seen) optionalSeen++;
      if (e.sides && e.required) {
        const s = (sides[e.sides] ??= { expected: 0, seen: 0 });
        s.expected++;
        if (seen) s.seen++;
      }
    }
    let duplicates = 0;
    const duplicateSamples: string[] = [];
    for (const [id, count] of this.seen) {
      if (count > 1) {
        duplicates += count - 1;
        if (duplicateSamples.length < SAMPLES) duplicateSamples.push(`${id} x${count}`);
      }
    }
    for (const [fingerprint, count] of this.invalidSeen) {
      if (count > 1) {
        duplicates += count - 1;
        if (duplicateSamples.length < SAMPLES) duplicateSamples.push(`malformed ${fingerprint} x${count}`);
      }
    }
    return {
      topic: this.topic,
      expected: this.expected.size,
      required: this.required,
      received: this.received,
      completeness: this.completeness,
      missing,
      missingSamples,
      duplicates,
      duplicateSamples,
      unexpected: this.unexpected,
      unexpectedSamples: this.unexpectedSamples,
      invalid: this.invalid,
      invalidSamples: this.invalidSamples,
      optionalSeen,
      ...(Object.keys(sides).length > 1 ? { sides } : {}),
      latencyMs: this.latency.summary(),
      backlogRecords: this.backlog,
      throughput: this.throughput.summary(),
      completedAt: this.complete && this.required > 0 ? this.lastRequiredAt : undefined,
    };
  }

  /** The raw latency histogram, to merge into the end-to-end figure. */
  latencyRecorder(): LatencyRecorder {
    return this.latency;
  }
}
