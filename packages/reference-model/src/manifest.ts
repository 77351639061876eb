import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { JoinWindows } from './joins';
import type { InputTopic } from './topics';

/**
 * What a load generator run produced, one JSON object per line: a header, one
 * line per order and per browsing session (written as they are planned), and a
 * summary at the end. The verifier derives the expected join results from it.
 */
export const MANIFEST_VERSION = 1;

export interface ManifestHeader {
  kind: 'header';
  version: number;
  seed: string;
  topicPrefix: string;
  partitions: number;
  /** Wall-clock ms at which the run started; event times are offsets from it. */
  startedAt: number;
  windows: JoinWindows;
  /**
   * The windowed aggregations the pipeline computes, by output topic (absent in manifests
   * of generators before them): the verifier checks their results when present.
   */
  aggregations?: Record<string, { sizeMs: number; graceMs: number }>;
  /** The generator's options, as given, for the report. */
  options: Record<string, unknown>;
  /**
   * How long drain traffic follows the measured orders (ms), 'auto' resolved; lets a
   * watcher (the demo) say when the drain ends. Absent in manifests of older generators.
   */
  drainMs?: number;
}

export interface ManifestEvent {
  id: string;
  /** Event time (the Kafka timestamp), epoch ms. */
  ts: number;
}

/** One order's events. A topic absent from `events` was not produced for it (see `missing`). */
export interface ManifestOrder {
  kind: 'order';
  seq: number;
  orderId: string;
  sessionId: string | null;
  /** Produced after the measured orders, to push stream time past every window; not checked. */
  drain: boolean;
  events: Partial<Record<InputTopic, ManifestEvent>>;
  missing: InputTopic[];
  /** Sent later than window + grace after its event time: its join normally loses it (see expectedResults). */
  late: InputTopic[];
  /** Sent so late relative to the order's other events that they arrive out of order (within grace). */
  outOfOrder: InputTopic[];
  /** A garbled copy (not JSON) was sent in addition to the good record. */
  malformed: InputTopic[];
  /** The order's total (the revenue the windowed aggregation counts). */
  totalCents?: number;
  /** The warehouse of its inventory reservation, when it has one. */
  warehouse?: string;
}

export interface ManifestSession {
  kind: 'session';
  seq: number;
  sessionId: string;
  drain: boolean;
  clicks: ManifestEvent[];
  views: ManifestEvent[];
  malformed: InputTopic[];
}

export interface ManifestSummary {
  kind: 'summary';
  finishedAt: number;
  /** Good records per input topic (malformed ones not included). */
  produced: Partial<Record<InputTopic, number>>;
  malformed: Partial<Record<InputTopic, number>>;
  late: Partial<Record<InputTopic, number>>;
  orders: number;
  measuredOrders: number;
  sessions: number;
  /** False when the run was interrupted: outputs of the last orders may be legitimately absent. */
  complete: boolean;
}

export type ManifestLine = ManifestHeader | ManifestOrder | ManifestSession | ManifestSummary;

export interface Manifest {
  header: ManifestHeader;
  orders: ManifestOrder[];
  sessions: ManifestSession[];
  summary: ManifestSummary | undefined;
}

export function parseManifestLines(lines: Iterable<string>): Manifest {
  let header: ManifestHeader | undefined;
  const orders: ManifestOrder[] = [];
  const sessions: ManifestSession[] = [];
  let summary: ManifestSummary | undefined;
  let n = 0;
  for (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let parsed: ManifestLine;
    try {
      parsed = JSON.parse(line) as ManifestLine;
    } catch {
      throw new Error(`manifest line ${n} is not JSON`);
    }
    switch (parsed.kind) {
      case 'header':
        if (parsed.version !== MANIFEST_VERSION) {
          throw new Error(
            `manifest version ${parsed.version} is not supported (expected ${MANIFEST_VERSION})`,
          );
        }
        header = parsed;
        break;
      case 'order':
        orders.push(parsed);
        break;
      case 'session':
        sessions.push(parsed);
        break;
      case 'summary':
        summary = parsed;
        break;
      default:
        throw new Error(`manifest line ${n} has unknown kind "${(parsed as { kind: string }).kind}"`);
    }
  }
  if (!header) throw new Error('manifest has no header line');
  return { header, orders, sessions, summary };
}

export async function readManifest(path: string): Promise<Manifest> {
  const lines: string[] = [];
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of rl) lines.push(line);
  return parseManifestLines(lines);
}

/**
 * The header line of a manifest, reading only the file's start; undefined while the load
 * generator has not written a whole first line yet (or the file does not exist).
 */
export async function readManifestHeader(path: string): Promise<ManifestHeader | undefined> {
  let text: string;
  try {
    const file = await open(path, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await file.read(buf, 0, buf.length, 0);
      text = buf.subarray(0, bytesRead).toString();
    } finally {
      await file.close();
    }
  } catch {
    return undefined;
  }
  const nl = text.indexOf('\n');
  if (nl <= 0) return undefined;
  const parsed = JSON.parse(text.slice(0, nl)) as ManifestHeader;
  if (parsed.kind !== 'header') throw new Error(`${path} does not start with a manifest header`);
  return parsed;
}
