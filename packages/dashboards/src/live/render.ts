import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineChartSvg, type LineChart } from '@streamtune/perf';
import type { Dashboard, Panel } from '../grafana/model';
import { panelsOf } from '../grafana/model';
import { defaultSubstitutions, legendOf, queryRange, substitute, type QueryWindow } from './queries';

/**
 * Grafana cannot run here, so the docs show a dashboard's panels as SVG line charts
 * drawn from the same Prometheus data and the same queries (with @streamtune/perf's chart).
 */

const UNIT_LABELS: Record<string, string> = {
  s: 'seconds',
  bytes: 'bytes',
  Bps: 'bytes/s',
  recps: 'records/s',
  reqps: 'requests/s',
  ops: 'per second',
  percentunit: 'fraction (0..1)',
  short: 'count',
  'suffix: cores': 'cores',
};

/** At most this many lines per chart (the largest), so the legend stays readable. */
const MAX_SERIES = 8;

/** Wide enough for the one-line legend that lineChartSvg draws (about 7 px per character). */
function chartWidth(names: string[]): number {
  const legend = names.reduce((sum, name) => sum + 28 + name.length * 7, 0);
  return Math.max(760, Math.ceil((legend + 90) / 20) * 20);
}

export function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

export async function panelChart(
  prometheusUrl: string,
  dashboard: Dashboard,
  panel: Panel,
  window: QueryWindow,
): Promise<LineChart> {
  const values = defaultSubstitutions(dashboard);
  const series: LineChart['series'] = [];
  for (const target of panel.targets ?? []) {
    for (const s of await queryRange(prometheusUrl, substitute(target.expr, values), window)) {
      const points = s.values
        .map(([t, v]): [number, number] => [Math.round(t - window.start), Number(v)])
        .filter(([, v]) => Number.isFinite(v) && v >= 0);
      // the run's unique topic prefixes and suffixes (dash-1a2b3c4d.orders) say nothing to a reader
      const name = legendOf(target, s)
        .replace(/\bdash-[0-9a-f]{8}\./g, '')
        .replace(/-[0-9a-f]{8}\b/g, '');
      if (points.length) series.push({ name, points });
    }
  }
  const peak = (s: LineChart['series'][number]) => Math.max(...s.points.map((p) => p[1]));
  const unit = panel.fieldConfig?.defaults.unit ?? '';
  const shown = series.sort((a, b) => peak(b) - peak(a)).slice(0, MAX_SERIES);
  return {
    title: panel.title,
    xLabel: 'seconds into the run',
    yLabel: UNIT_LABELS[unit] ?? unit,
    width: chartWidth(shown.map((s) => s.name)),
    height: 380,
    series: shown,
  };
}

/** Writes one SVG per panel into `dir` (replacing the previous images); returns the files written. */
export async function renderDashboard(
  prometheusUrl: string,
  dashboard: Dashboard,
  window: QueryWindow,
  dir: string,
  prefix: string,
): Promise<Array<{ file: string; panel: Panel; series: number }>> {
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(dir).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.svg')))
    rmSync(join(dir, old));
  const written: Array<{ file: string; panel: Panel; series: number }> = [];
  for (const panel of panelsOf(dashboard)) {
    const chart = await panelChart(prometheusUrl, dashboard, panel, window);
    if (chart.series.length === 0) throw new Error(`"${panel.title}" has no data to draw`);
    const file = `${prefix}-${slug(panel.title)}.svg`;
    writeFileSync(join(dir, file), `${lineChartSvg(chart)}\n`);
    written.push({ file, panel, series: chart.series.length });
  }
  return written;
}
