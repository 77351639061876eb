import { writeFile } from 'node:fs/promises';
import { dashboardsHtmlReport, readDashboardFiles } from '@streamtune/dashboards';
import type { DemoOptions } from './options';

/** The dashboards a demo run's report draws: what the run shows, not the broker's or the host's detail. */
const REPORT_DASHBOARDS = /App overview|State stores/;

/**
 * report.html: the App overview and state-store dashboards drawn from this run's own
 * Prometheus data, for a reader without Grafana. Returns the panels left without data.
 */
export async function writeHtmlReport(
  path: string,
  prometheusUrl: string,
  run: { startedAt: number; options: DemoOptions; verdict: unknown },
): Promise<string[]> {
  const dashboards = readDashboardFiles()
    .map((d) => d.dashboard)
    .filter((d) => REPORT_DASHBOARDS.test(d.title));
  const start = run.startedAt / 1000;
  const end = Date.now() / 1000;
  const o = run.options;
  const { html, panels } = await dashboardsHtmlReport(
    prometheusUrl,
    dashboards,
    // a few hundred points per line, whatever the run's length
    { start, end, stepS: Math.max(5, Math.ceil((end - start) / 300)) },
    {
      title: `streamtune demo, ${new Date(run.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      lines: [
        `Profile ${o.profile}; ${o.rate} input records/s of ~${o.recordSize} B for ${Math.round(o.durationMs / 1000)} s; verifier verdict: ${String(run.verdict)}.`,
        `Each chart is a Grafana panel of dashboards/*.json, its queries run against the demo's Prometheus (${prometheusUrl}).`,
      ],
    },
  );
  await writeFile(path, html);
  return panels.filter((p) => p.series === 0).map((p) => `${p.dashboard}: ${p.panel}`);
}
