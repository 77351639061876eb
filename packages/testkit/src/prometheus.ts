import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackage } from './debian-package';
import { waitForHttp } from './harness/http';
import { freePort } from './harness/ports';
import { startProcess, type ManagedProcess } from './harness/process';

export interface ScrapeTarget {
  job: string;
  /** host:port */
  targets: string[];
  labels?: Record<string, string>;
}

export interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

/** A real Prometheus server (Debian's package) scraping the given targets every second. */
export class TestPrometheus {
  private constructor(
    private readonly process: ManagedProcess,
    readonly url: string,
    readonly dir: string,
  ) {}

  static async start(
    targets: ScrapeTarget[],
    options: { scrapeIntervalS?: number } = {},
  ): Promise<TestPrometheus> {
    const binary = await ensurePrometheusInstalled();
    const dir = mkdtempSync(join(tmpdir(), 'streamtune-prom-'));
    const port = await freePort();
    const interval = `${options.scrapeIntervalS ?? 1}s`;
    writeFileSync(join(dir, 'prometheus.yml'), prometheusConfig(targets, interval));
    const child = startProcess({
      name: 'prometheus',
      command: binary,
      args: [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
    });
    const prom = new TestPrometheus(child, `http://127.0.0.1:${port}`, dir);
    try {
      await waitForHttp(`${prom.url}/-/ready`, {
        process: child,
        what: 'testkit: prometheus',
        timeoutMs: 30_000,
      });
    } catch (error) {
      await child.stop();
      throw error;
    }
    return prom;
  }

  /** An instant query; throws on a PromQL error. */
  async query(promql: string): Promise<PromSeries[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { result: PromSeries[] };
    };
    if (body.status !== 'success') throw new Error(`testkit: PromQL error for ${promql}: ${body.error}`);
    return body.data?.result ?? [];
  }

  /** Waits until every target has been scraped successfully at least once. */
  async waitForTargetsUp(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: PromSeries[] = [];
    while (Date.now() < deadline) {
      last = await this.query('up');
      if (last.length > 0 && last.every((s) => s.value[1] === '1')) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(
      `testkit: scrape targets not all up: ${JSON.stringify(last.map((s) => [s.metric, s.value[1]]))}`,
    );
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }
}

export function prometheusConfig(targets: ScrapeTarget[], interval: string): string {
  const jobs = targets
    .map(
      (t) =>
        // honor_labels: the apps set their own `instance` label (createServiceMetrics)
        `  - job_name: ${JSON.stringify(t.job)}\n    honor_labels: true\n    static_configs:\n      - targets: ${JSON.stringify(t.targets)}\n` +
        (t.labels ? `        labels: ${JSON.stringify(t.labels)}\n` : ''),
    )
    .join('');
  return `global:\n  scrape_interval: ${interval}\n  evaluation_interval: ${interval}\nscrape_configs:\n${jobs}`;
}

/**
 * Finds Debian's prometheus; installs it (with node-exporter) when this run may (root on
 * Debian), otherwise fails with the command that installs it.
 */
export function ensurePrometheusInstalled(): Promise<string> {
  return ensureDebianPackage(['/usr/bin/prometheus'], ['prometheus', 'prometheus-node-exporter']);
}
