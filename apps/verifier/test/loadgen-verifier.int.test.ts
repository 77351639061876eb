import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, repoRoot, TestTopics } from '@streamtune/testkit';
import { pipelineTopics, readManifest, type InputTopic, type Manifest } from '@streamtune/reference-model';
import type { VerifierReport } from '../src/verify';

const exec = promisify(execFile);
const root = repoRoot();
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** Runs one of the CLIs as a user would; resolves with its exit code and output instead of throwing. */
async function cli(app: 'loadgen' | 'verifier', args: string[]) {
  try {
    const { stdout, stderr } = await exec(tsx, [join(root, 'apps', app, 'src', 'main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, KAFKA_BROKERS: kafkaBrokers().join(',') },
      timeout: 110_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('load generator and verifier on the real broker', () => {
  const topics = new TestTopics('lg');
  const prefix = topics.name('run');
  let dir: string;
  let manifestPath: string;
  let manifest: Manifest;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loadgen-int-'));
    manifestPath = join(dir, 'manifest.jsonl');
    const t = pipelineTopics(prefix);
    topics.own(...Object.values(t.inputs), ...Object.values(t.outputs), t.deadLetters);
    const run = await cli('loadgen', [
      '--topic-prefix',
      prefix,
      '--partitions',
      '3',
      '--orders',
      '120',
      '--rate',
      '3000',
      '--time-scale',
      '0.1',
      '--drain',
      '0',
      '--late-share',
      '0.05',
      '--malformed-share',
      '0.01',
      '--record-size',
      '1024',
      '--progress',
      'false',
      '--manifest',
      manifestPath,
    ]);
    expect(run.stderr).toContain('for 120 orders');
    expect(run.code).toBe(0);
    manifest = await readManifest(manifestPath);
  });

  afterAll(async () => topics.cleanup());

  it('produces what the manifest says, and the verifier reading the inputs back finds every record', async () => {
    expect(manifest.summary?.complete).toBe(true);
    expect(manifest.orders.filter((o) => !o.drain)).toHaveLength(120);
    const reportPath = join(dir, 'inputs-report.json');
    const result = await cli('verifier', [
      '--manifest',
      manifestPath,
      '--mode',
      'inputs',
      '--idle-timeout',
      '5s',
      '--timeout',
      '90s',
      '--progress',
      'false',
      '--report',
      reportPath,
    ]);
    expect(result.stdout).toContain('PASS');
    expect(result.code).toBe(0);
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as VerifierReport;
    expect(report.stoppedBecause).toBe('complete');
    const summary = manifest.summary!;
    for (const t of report.topics) {
      const topic = t.topic as InputTopic;
      expect(t.missing).toBe(0);
      expect(t.required).toBe(summary.produced[topic] ?? 0);
      expect(t.invalid).toBe(summary.malformed[topic] ?? 0);
      // at least once: kafkajs resends a whole request when one partition of a fresh topic has
      // no ready leader yet, so copies may be read; every record read is accounted for
      expect(t.received).toBe(
        (summary.produced[topic] ?? 0) + (summary.malformed[topic] ?? 0) + t.duplicates,
      );
    }
    expect(Object.values(summary.malformed).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(0);
  });

  it('fails, naming what is missing, when the manifest promises a record that was never sent', async () => {
    const text = await readFile(manifestPath, 'utf8');
    const lines = text.trim().split('\n');
    const ghost = {
      kind: 'order',
      seq: 999_999,
      orderId: 'o-ghost',
      sessionId: null,
      drain: false,
      events: { orders: { id: 'ord-ghost', ts: manifest.header.startedAt + 1 } },
      missing: [],
      late: [],
      outOfOrder: [],
      malformed: [],
    };
    lines.splice(lines.length - 1, 0, JSON.stringify(ghost));
    const ghostPath = join(dir, 'ghost.jsonl');
    await writeFile(ghostPath, `${lines.join('\n')}\n`);
    const result = await cli('verifier', [
      '--manifest',
      ghostPath,
      '--mode',
      'inputs',
      '--topics',
      'orders',
      '--idle-timeout',
      '2s',
      '--progress',
      'false',
      '--report',
      join(dir, 'ghost-report.json'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ord-ghost');
    expect(result.stdout).toMatch(/orders: completeness .* \(1 missing\)/);
  });

  it('splits large records over requests that stay under the broker message size limit', async () => {
    const bigPrefix = topics.name('big');
    const t = pipelineTopics(bigPrefix);
    topics.own(...Object.values(t.inputs), ...Object.values(t.outputs), t.deadLetters);
    // everything due at once, into one partition: one request would carry megabytes for a partition
    const run = await cli('loadgen', [
      '--topic-prefix',
      bigPrefix,
      '--partitions',
      '1',
      '--orders',
      '4',
      '--rate',
      '100000',
      '--record-size',
      '200000',
      '--size-distribution',
      'fixed',
      '--drain',
      '0',
      '--late-share',
      '0',
      '--time-scale',
      '0.01',
      '--progress',
      'false',
      '--manifest',
      join(dir, 'big.jsonl'),
    ]);
    expect(run.stderr).toContain('for 4 orders');
    expect(run.code).toBe(0);
    const written = await readManifest(join(dir, 'big.jsonl'));
    expect(Object.values(written.summary!.produced).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(20);
  });

  it('says in one line that the broker is unreachable', async () => {
    const result = await cli('loadgen', [
      '--brokers',
      '127.0.0.1:1',
      '--orders',
      '1',
      '--manifest',
      join(dir, 'x.jsonl'),
    ]);
    expect(result.code).toBe(2);
    expect(
      result.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('loadgen:')),
    ).toEqual([expect.stringContaining('cannot reach Kafka at 127.0.0.1:1')]);
  });
});
