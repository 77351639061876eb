import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topicName, type Payment } from '@streamtune/reference-model';
import {
  freePort,
  testKafka,
  parsePrometheusText,
  scrapeText,
  startProcess,
  sumOf,
  TestTopics,
  tsxEntry,
  uniqueName,
  waitForHttp,
  type ManagedProcess,
} from '@streamtune/testkit';
import type { PipelineRun, PipelineSummary, ShortPipelineOptions } from './pipeline';

/**
 * The reference pipeline itself, briefly: checkout, fulfillment and marketing (apps/, eight
 * windowed joins) and the load generator as processes, exactly as compose runs them, on the
 * broker in KAFKA_BROKERS with their own topic prefix. Windows are scaled down
 * (WINDOW_SCALE / --time-scale) so that joins emit within a short run; checkout is
 * replaced mid-run by an instance with an empty state directory, which restores its join
 * stores from the changelogs.
 */

const SERVICES = ['checkout', 'fulfillment', 'marketing'] as const;
const TIME_SCALE = '0.2';

/** `node --import tsx apps/<app>/src/main.ts`: the image's CMD, from the repository root. */
const startApp = (name: string, app: string, args: string[], env: Record<string, string>) =>
  startProcess({ name, ...tsxEntry(`apps/${app}/src/main.ts`, args), env });
const sumSamples = (text: string, name: string) => sumOf(parsePrometheusText(text), name) ?? 0;

export async function referencePipeline(options: ShortPipelineOptions = {}): Promise<PipelineRun> {
  const log = options.log ?? (() => {});
  const partitions = String(options.partitions ?? 3);
  const prefix = uniqueName('dash');
  const brokers = process.env.KAFKA_BROKERS ?? '';
  const work = mkdtempSync(join(tmpdir(), 'streamtune-dash-ref-'));
  const profile = process.env.DASHBOARDS_PROFILE ?? 'tuned';
  const loadgenArgs = (more: string[]) => [
    '--topic-prefix',
    prefix,
    '--partitions',
    partitions,
    '--progress',
    'false',
    '--manifest',
    join(work, 'manifest.jsonl'),
    ...more,
  ];

  // The topics first, as compose's kafka-init does: services refuse to start without them.
  const init = startApp('kafka-init', 'loadgen', loadgenArgs(['--orders', '0', '--drain', '0']), {
    KAFKA_BROKERS: brokers,
  });
  if ((await init.exited).code !== 0) throw new Error(`creating the pipeline topics failed:\n${init.tail()}`);

  const instances = [...SERVICES, 'checkout'].map((service, i) => ({
    service,
    instance: i < SERVICES.length ? `${service}-1` : `${service}-2`,
    port: 0,
  }));
  for (const i of instances) i.port = await freePort();
  const running = new Map<string, ManagedProcess>();
  let loadgen: ManagedProcess | undefined;

  const start = async (i: (typeof instances)[number]) => {
    const app = startApp(i.instance, i.service, [], {
      KAFKA_BROKERS: brokers,
      STREAMTUNE_PROFILE: profile,
      TOPIC_PREFIX: prefix,
      METRICS_PORT: String(i.port),
      STATE_DIR: join(work, 'state'),
      INSTANCE: i.instance,
      WINDOW_SCALE: TIME_SCALE,
      // one service under exactly_once_v2, so the transaction panels have data too
      ...(i.service === 'marketing'
        ? { PROFILE_OVERRIDES: '{"processingGuarantee":"exactly_once_v2"}' }
        : {}),
    });
    running.set(i.instance, app);
    await waitForHttp(`http://127.0.0.1:${i.port}/readyz`, { process: app, timeoutMs: 120_000 });
    log(`${i.instance} ready`);
  };
  const metricsOf = async (i: (typeof instances)[number]) =>
    (await scrapeText(`http://127.0.0.1:${i.port}/metrics`)) ?? '';

  return {
    metricsTargets: instances.map((i) => `127.0.0.1:${i.port}`),
    async drive(durationMs) {
      const [checkout1, fulfillment, marketing, checkout2] = instances as [
        (typeof instances)[number],
        (typeof instances)[number],
        (typeof instances)[number],
        (typeof instances)[number],
      ];
      await Promise.all([start(checkout1), start(fulfillment), start(marketing)]);
      loadgen = startApp(
        'loadgen',
        'loadgen',
        loadgenArgs([
          '--duration',
          `${durationMs}ms`,
          '--drain',
          '0',
          '--rate',
          String(options.ordersPerSecond ? options.ordersPerSecond * 6 : 300),
          '--record-size',
          '1024',
          '--time-scale',
          TIME_SCALE,
          '--malformed-share',
          '0.01',
          '--late-share',
          '0.02',
        ]),
        { KAFKA_BROKERS: brokers },
      );
      await sendKeylessPayment(brokers, topicName('payments', prefix));
      await new Promise((r) => setTimeout(r, durationMs * 0.4));
      // A redeploy to a fresh machine: the clean close commits, the replacement restores.
      await running.get(checkout1.instance)!.stop();
      log('checkout-1 stopped');
      await start(checkout2);
      if ((await loadgen.exited).code !== 0) throw new Error(`loadgen failed:\n${loadgen.tail()}`);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const text = await metricsOf(checkout2);
        const done =
          sumSamples(text, 'streamtune_restore_records_total') > 0 &&
          sumSamples(text, 'streamtune_restores_active') === 0;
        if (done || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      await new Promise((r) => setTimeout(r, 3_000));
      const live = [fulfillment, marketing, checkout2];
      const texts = await Promise.all(live.map(metricsOf));
      const total = (name: string) => texts.reduce((s, t) => s + sumSamples(t, name), 0);
      const produced = /loadgen: (\d+) records for (\d+) orders/.exec(loadgen.tail());
      const summary: PipelineSummary = {
        ordersProduced: Number(produced?.[2] ?? 0),
        restoredRecords: sumSamples(texts[2]!, 'streamtune_restore_records_total'),
        deadLetters: total('streamtune_dead_letters_total'),
        commits: total('streamtune_commits_total'),
      };
      return summary;
    },
    async close() {
      if (loadgen) await loadgen.stop();
      await Promise.all([...running.values()].map((app) => app.stop()));
      const topics = new TestTopics('dash-ref');
      const admin = await topics.admin();
      topics.own(...(await admin.listTopics()).filter((t) => t.startsWith(prefix)));
      await admin.deleteGroups(SERVICES.map((s) => `${prefix}.streamtune-${s}`)).catch(() => undefined);
      await topics.cleanup();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/**
 * A well-formed payment without a key: checkout's join drops it and counts it. Late events
 * alone do not make the dropped-records panel's data certain in a 30 s run.
 */
async function sendKeylessPayment(brokers: string, topic: string): Promise<void> {
  const now = Date.now();
  const payment: Payment = {
    id: 'keyless-payment',
    type: 'payment',
    orderId: 'keyless-order',
    method: 'card',
    amountCents: 100,
    eventTime: now,
    createdAt: now,
    payload: '',
  };
  const producer = testKafka('dash-keyless', brokers.split(',')).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key: null, value: JSON.stringify(payment) }] });
  } finally {
    await producer.disconnect();
  }
}
