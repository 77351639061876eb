import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@streamtune/testkit';
import type { ServiceName } from '@streamtune/reference-model';
import { deleteRunTopics, readReport, runCli, ServiceProcess, type RunSettings } from './pipeline-harness';

/**
 * The whole reference pipeline on the real broker: the three services as child processes
 * (as compose and the demo run them), the load generator and the verifier through their
 * CLIs, started together so the verifier measures live.
 *
 * Sizes are small so the file stays within a few minutes on two cores: 3 partitions,
 * 1 KiB records, 60 records/s (the drain after the orders is most of the traffic), the
 * tuned profile (fewer produce requests), windows and delays at WINDOW_SCALE. Graces shrink with the scale but the
 * services' processing lag does not; 0.5 leaves the downstream joins' graces (15 s and more,
 * see docs/operations.md "Graces and upstream lag") above the lag of a loaded test machine.
 */
const SERVICES: ServiceName[] = ['checkout', 'fulfillment', 'marketing'];
const SCALE = 0.5;
const PARTITIONS = '3';

function loadgenArgs(settings: RunSettings, orders: number, malformedShare: string): string[] {
  return [
    '--topic-prefix',
    settings.prefix,
    '--partitions',
    PARTITIONS,
    '--orders',
    String(orders),
    '--rate',
    '60',
    '--record-size',
    '1024',
    '--time-scale',
    String(SCALE),
    '--malformed-share',
    malformedShare,
    '--progress',
    'false',
    '--manifest',
    join(settings.dir, 'manifest.jsonl'),
  ];
}

function verifierArgs(settings: RunSettings, extra: string[] = []): string[] {
  return [
    '--manifest',
    join(settings.dir, 'manifest.jsonl'),
    '--report',
    join(settings.dir, 'report.json'),
    '--idle-timeout',
    '45s',
    '--timeout',
    '4m',
    '--progress',
    'false',
    ...extra,
  ];
}

/** Creates the run's topics (the load generator with no orders), as compose's init step does. */
async function createTopics(settings: RunSettings): Promise<void> {
  const args = [
    '--topic-prefix',
    settings.prefix,
    '--partitions',
    PARTITIONS,
    '--orders',
    '0',
    '--drain',
    '0',
  ];
  const result = await runCli(
    'loadgen',
    [...args, '--progress', 'false', '--manifest', join(settings.dir, 'topics.jsonl')],
    join(settings.dir, 'create-topics.log'),
  );
  expect(result.code, result.output).toBe(0);
}

async function newRun(name: string): Promise<RunSettings> {
  const dir = await mkdtemp(join(tmpdir(), `pipeline-${name}-`));
  return { prefix: uniqueName(`pl-${name}`), dir, windowScale: SCALE, profile: 'tuned' };
}

describe('reference pipeline end to end', () => {
  describe('a clean run with malformed records', () => {
    let settings: RunSettings;
    let passed = false;
    const services: ServiceProcess[] = [];

    beforeAll(async () => {
      settings = await newRun('clean');
      await createTopics(settings);
      for (const s of SERVICES) services.push(new ServiceProcess(s, settings));
      await Promise.all(services.map((s) => s.start()));
      await Promise.all(services.map((s) => s.ready()));
    });

    afterAll(async () => {
      await Promise.all(services.map((s) => s.stop()));
      await deleteRunTopics(settings.prefix);
      if (passed) await rm(settings.dir, { recursive: true, force: true });
      else console.log(`[pipeline test] logs kept in ${settings.dir}`);
    });

    it('produces every required result and nothing unexpected; malformed records reach the dead-letter topic', async () => {
      const verifier = runCli(
        'verifier',
        verifierArgs(settings, ['--check-dead-letters', 'true']),
        join(settings.dir, 'verifier.log'),
      );
      const loadgen = await runCli(
        'loadgen',
        loadgenArgs(settings, 60, '0.02'),
        join(settings.dir, 'loadgen.log'),
      );
      expect(loadgen.code, loadgen.output).toBe(0);
      const result = await verifier;
      const report = await readReport(join(settings.dir, 'report.json'));
      const summary = report.topics.map(
        (t) => `${t.topic}: ${t.completeness} missing ${t.missing} unexpected ${t.unexpected}`,
      );
      // the eight join outputs and the windowed aggregation's warehouse-revenue
      expect(report.topics).toHaveLength(9);
      for (const t of report.topics) {
        expect(t.required, t.topic).toBeGreaterThan(0);
        expect(t.missing, `${t.topic} missing ${t.missingSamples.join(' ')}`).toBe(0);
        expect(t.unexpected, `${t.topic} unexpected ${t.unexpectedSamples.join(' ')}`).toBe(0);
      }
      // every revenue window read has the counts of its confirmed orders (in a run this short,
      // drain orders share every window, so the counts are checked as ranges, not exactly)
      expect(report.revenue!.mismatched, report.revenue!.mismatchSamples.join('\n')).toBe(0);
      // every malformed record the generator sent was dead-lettered by the service reading it
      expect(report.deadLetters!.expectedAtLeast).toBeGreaterThan(0);
      expect(report.deadLetters!.seen).toBeGreaterThanOrEqual(report.deadLetters!.expectedAtLeast);
      const counted = (
        await Promise.all(services.map((s) => s.metric('streamtune_dead_letters_total')))
      ).reduce((a, b) => a + b, 0);
      expect(counted).toBe(report.deadLetters!.seen);
      expect(report.verdict, `${summary.join('\n')}\n${report.failures.join('\n')}`).toBe('pass');
      expect(result.code).toBe(0);
      passed = true;
    }, 240_000);
  });

  describe('a service SIGKILLed mid-run and restarted', () => {
    let settings: RunSettings;
    let passed = false;
    const services = new Map<ServiceName, ServiceProcess>();

    beforeAll(async () => {
      settings = await newRun('kill');
      await createTopics(settings);
      for (const s of SERVICES) {
        // fulfillment: a short session, so the group drops the killed member soon after the
        // restart joins; no interval commit before the kill, so everything it sent before the
        // kill is sent again after the restart (counted as duplicates by the verifier)
        const overrides: Record<string, string> =
          s === 'fulfillment'
            ? {
                PROFILE_OVERRIDES: JSON.stringify({
                  commitIntervalMs: 600_000,
                  consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000 },
                }),
              }
            : {};
        services.set(s, new ServiceProcess(s, settings, overrides));
      }
      await Promise.all([...services.values()].map((s) => s.start()));
      await Promise.all([...services.values()].map((s) => s.ready()));
    });

    afterAll(async () => {
      await Promise.all([...services.values()].map((s) => s.stop()));
      await deleteRunTopics(settings.prefix);
      if (passed) await rm(settings.dir, { recursive: true, force: true });
      else console.log(`[pipeline test] logs kept in ${settings.dir}`);
    });

    it('still delivers every result of the killed service (duplicates counted, none lost)', async () => {
      const fulfillment = services.get('fulfillment')!;
      // Only the killed service's outputs are checked: its outage delays orders-fulfilled past
      // marketing's outer-join grace, which changes order-outcomes by design (late input).
      const verifier = runCli(
        'verifier',
        verifierArgs(settings, ['--topics', 'orders-paid,orders-confirmed,orders-shipped,orders-fulfilled']),
        join(settings.dir, 'verifier.log'),
      );
      const loadgen = runCli('loadgen', loadgenArgs(settings, 80, '0'), join(settings.dir, 'loadgen.log'));
      // kill once it has sent results since its last commit (counted, not timed): a commit on
      // a rebalance can still happen, so wait for 10 acknowledged results with no commit between
      const sent = () =>
        fulfillment.metric('streamtune_producer_records_sent_total', (l) =>
          Boolean(l.topic?.endsWith('orders-shipped')),
        );
      const commits = () => fulfillment.metric('streamtune_commits_total');
      for (;;) {
        const [c0, s0] = [await commits(), await sent()];
        while ((await sent()) < s0 + 10) await new Promise((r) => setTimeout(r, 200));
        if ((await commits()) === c0) break;
      }
      fulfillment.kill('SIGKILL');
      expect((await fulfillment.exited()).signal).toBe('SIGKILL');
      // the killed process is the service itself (no wrapper left running): nothing answers its port
      expect(
        await fetch(`${fulfillment.metricsUrl}/metrics`).then(
          () => true,
          () => false,
        ),
      ).toBe(false);
      await fulfillment.start();
      await fulfillment.ready();
      expect((await loadgen).code).toBe(0);
      const result = await verifier;
      const report = await readReport(join(settings.dir, 'report.json'));
      for (const t of report.topics) {
        expect(t.missing, `${t.topic} missing ${t.missingSamples.join(' ')}`).toBe(0);
        expect(t.unexpected, `${t.topic} unexpected ${t.unexpectedSamples.join(' ')}`).toBe(0);
      }
      const shipped = report.topics.find((t) => t.topic === 'orders-shipped')!;
      expect(shipped.completeness).toBe(1);
      // at least once: what it sent after its last commit comes again after the restart, counted
      expect(shipped.duplicates).toBeGreaterThan(0);
      console.log(
        `[kill test] duplicates after restart: ${report.topics.map((t) => `${t.topic}=${t.duplicates}`).join(' ')}`,
      );
      expect(result.code).toBe(0);
      passed = true;
    }, 240_000);
  });
});
