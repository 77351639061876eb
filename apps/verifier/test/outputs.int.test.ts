import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, repoRoot, TestTopics, type TestRecord } from '@streamtune/testkit';
import {
  CREATED_AT_HEADER,
  DEFAULT_JOIN_WINDOWS,
  OUTPUT_TOPICS,
  encodeEvent,
  expectedResults,
  parseManifestLines,
  pipelineTopics,
  type OutputTopic,
} from '@streamtune/reference-model';
import type { VerifierReport } from '../src/verify';

const exec = promisify(execFile);
const root = repoRoot();

async function verifier(args: string[]) {
  try {
    const r = await exec(
      join(root, 'node_modules', '.bin', 'tsx'),
      [join(root, 'apps/verifier/src/main.ts'), ...args],
      {
        cwd: root,
        env: { ...process.env, KAFKA_BROKERS: kafkaBrokers().join(',') },
        timeout: 100_000,
      },
    );
    return { code: 0, ...r };
  } catch (err) {
    return err as { code: number; stdout: string; stderr: string };
  }
}

/** A schema-valid result value with the given id: the verifier only needs ids, shapes and creation times. */
function resultValue(
  topic: OutputTopic,
  id: string,
  key: string,
  createdAt: number,
): Record<string, unknown> {
  const common = { id, createdAt, payload: 'p' };
  const order = { orderId: key, sessionId: null, customerId: 'c', totalCents: 1, paymentMethod: 'card' };
  switch (topic) {
    case 'orders-paid':
      return { ...common, ...order };
    case 'orders-screened':
      return { ...common, ...order, fraudVerdict: 'approve' };
    case 'orders-confirmed':
      return { ...common, ...order, fraudVerdict: 'approve', warehouse: 'w' };
    case 'orders-shipped':
      return {
        ...common,
        ...order,
        fraudVerdict: 'approve',
        warehouse: 'w',
        carrier: 'c',
        trackingNumber: 't',
      };
    case 'orders-fulfilled':
      return {
        ...common,
        ...order,
        fraudVerdict: 'approve',
        warehouse: 'w',
        carrier: 'c',
        trackingNumber: 't',
        delivered: true,
      };
    case 'engaged-sessions':
      return { ...common, sessionId: key, campaignId: 'cmp', url: '/' };
    case 'attributed-orders':
      return { ...common, orderId: key, sessionId: 's', customerId: 'c', totalCents: 1, campaignId: null };
    case 'order-outcomes':
      return {
        ...common,
        orderId: key,
        attributed: true,
        campaignId: null,
        fulfilled: true,
        delivered: true,
        totalCents: 1,
      };
  }
}

describe('verifier on output topics (real broker)', () => {
  const topics = new TestTopics('verify-out');
  const prefix = topics.name('run');
  const names = pipelineTopics(prefix).outputs;
  let dir: string;
  let manifestPath: string;
  const startedAt = Date.now();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verifier-out-'));
    manifestPath = join(dir, 'manifest.jsonl');
    const ts = (ms: number) => startedAt + ms;
    const order = (seq: number, sessionId: string | null, missing: string[]) => ({
      kind: 'order',
      seq,
      orderId: `o${seq}`,
      sessionId,
      drain: false,
      missing,
      late: [],
      outOfOrder: [],
      malformed: [],
      events: Object.fromEntries(
        [
          ['orders', 'ord'],
          ['payments', 'pay'],
          ['fraud-checks', 'fc'],
          ['inventory-reservations', 'inv'],
          ['shipments', 'shp'],
          ['deliveries', 'dlv'],
        ]
          .filter(([t]) => !missing.includes(t as string))
          .map(([t, p], i) => [t, { id: `${p}${seq}`, ts: ts(seq * 1_000 + i * 100) }]),
      ),
    });
    const lines = [
      {
        kind: 'header',
        version: 1,
        seed: 'it',
        topicPrefix: prefix,
        partitions: 2,
        startedAt,
        windows: DEFAULT_JOIN_WINDOWS,
        options: {},
      },
      {
        kind: 'session',
        seq: 0,
        sessionId: 's0',
        drain: false,
        clicks: [{ id: 'clk0', ts: ts(0) }],
        views: [
          { id: 'pv0.0', ts: ts(200) },
          { id: 'pv0.1', ts: ts(300) },
        ],
        malformed: [],
      },
      order(0, 's0', []),
      order(1, null, ['fraud-checks', 'deliveries']),
      {
        kind: 'session',
        seq: 1,
        sessionId: 's1',
        drain: false,
        clicks: [],
        views: [{ id: 'pv1.0', ts: ts(2_000) }],
        malformed: [],
      },
      order(2, 's1', ['payments', 'fraud-checks', 'inventory-reservations', 'shipments', 'deliveries']),
      {
        kind: 'summary',
        finishedAt: ts(10_000),
        produced: {},
        malformed: {},
        late: {},
        orders: 3,
        measuredOrders: 3,
        sessions: 2,
        complete: true,
      },
    ].map((l) => JSON.stringify(l));
    await writeFile(manifestPath, `${lines.join('\n')}\n`);
    await topics.create(Object.values(names), 2);

    const expected = expectedResults(parseManifestLines(lines));
    for (const topic of OUTPUT_TOPICS) {
      const records: TestRecord[] = expected[topic].map((r) => ({
        key: r.key,
        value: encodeEvent(resultValue(topic, r.id, r.key, Date.now() - 50)),
        timestamp: r.ts,
        headers: { [CREATED_AT_HEADER]: String(Date.now() - 50) },
      }));
      // at-least-once after a crash: one result arrives twice
      if (topic === 'orders-paid') records.push(records[0]!);
      await topics.produce(names[topic], records);
    }
  });

  afterAll(async () => topics.cleanup());

  it('finds every expected result, counts the duplicate, and passes', async () => {
    const reportPath = join(dir, 'report.json');
    const r = await verifier([
      '--manifest',
      manifestPath,
      '--idle-timeout',
      '3s',
      '--progress',
      'false',
      '--report',
      reportPath,
    ]);
    expect(r.stdout).toContain('PASS');
    expect(r.code).toBe(0);
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as VerifierReport;
    const byTopic = Object.fromEntries(report.topics.map((t) => [t.topic, t]));
    expect(report.topics.every((t) => t.completeness === 1 && t.unexpected === 0 && t.invalid === 0)).toBe(
      true,
    );
    expect(byTopic['orders-paid']?.duplicates).toBe(1);
    // session s0: one click x two views; order 1 has no session; order 2 was never paid
    expect(byTopic['engaged-sessions']?.required).toBe(2);
    expect(byTopic['order-outcomes']?.sides).toEqual({
      both: { expected: 2, seen: 2 },
      left: { expected: 1, seen: 1 },
      right: { expected: 1, seen: 1 },
    });
  });

  it('fails on a result nobody expected and on a record that does not decode', async () => {
    await topics.produce(names['order-outcomes'], [
      {
        key: 'o9',
        value: encodeEvent(resultValue('order-outcomes', '[ord9+_]', 'o9', Date.now())),
        timestamp: startedAt + 1,
      },
      { key: 'o9', value: 'not json', timestamp: startedAt + 1 },
    ]);
    const r = await verifier([
      '--manifest',
      manifestPath,
      '--idle-timeout',
      '3s',
      '--progress',
      'false',
      '--report',
      join(dir, 'r2.json'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('order-outcomes: 1 unexpected result(s)');
    expect(r.stdout).toContain('order-outcomes: 1 record(s) that do not decode');
  });
});
