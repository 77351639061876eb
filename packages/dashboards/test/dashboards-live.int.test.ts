import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderedDom } from '@streamtune/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardsHtmlReport, drawnPanels, readDashboardFiles, recordingRules } from '../src/index';
import {
  defaultSubstitutions,
  drawable,
  queryRange,
  runDashboardQueries,
  variableQuery,
} from '../src/live/queries';
import { startLiveStack, type LiveStack } from '../src/live/stack';

/**
 * Every panel query of every dashboard returns data from a real Prometheus that scraped a
 * short real pipeline run, node-exporter and the broker's JMX exporter. A panel whose query
 * returns nothing (or only NaN) fails here: on a running stack it would be an empty panel.
 *
 * This is the one test that starts its own broker (startLiveStack): the shared test broker
 * runs without the JMX exporter agent that the Broker dashboard reads.
 */

let stack: LiveStack;
const dashboards = readDashboardFiles();

beforeAll(async () => {
  stack = await startLiveStack({ durationMs: 30_000, log: (l) => console.log(`[dashboards-live] ${l}`) });
}, 420_000);

afterAll(async () => {
  await stack?.stop();
}, 120_000);

const window = () => ({ start: stack.startedAt, end: stack.endedAt + 3, stepS: 2 });

describe('the short pipeline run behind the dashboards', () => {
  it('produced orders, committed, dead-lettered the malformed one and restored moved tasks', () => {
    expect(stack.summary.ordersProduced).toBeGreaterThan(200);
    expect(stack.summary.commits).toBeGreaterThan(5);
    expect(stack.summary.deadLetters).toBeGreaterThan(0);
    expect(stack.summary.restoredRecords).toBeGreaterThan(0);
  });
});

describe.each(dashboards.map((d) => [d.file, d.dashboard] as const))(
  '%s on live data',
  (_file, dashboard) => {
    it('every panel query returns at least one series with values', async () => {
      const results = await runDashboardQueries(stack.prometheus.url, dashboard, window());
      const empty = results
        .filter((r) => drawable(r.series).length === 0)
        .map((r) => `"${r.panel.title}" ${r.target.refId}: ${r.expr}`);
      expect(results.length).toBeGreaterThan(5);
      expect(empty).toEqual([]);
    }, 60_000);

    it('every service/instance/node/broker variable offers at least one value', async () => {
      const values = defaultSubstitutions(dashboard);
      const missing: string[] = [];
      for (const variable of dashboard.templating.list) {
        const expr = variableQuery(variable, values);
        if (!expr) continue;
        const series = await queryRange(stack.prometheus.url, expr, window());
        if (series.length === 0) missing.push(`${variable.name}: ${expr}`);
      }
      expect(missing).toEqual([]);
    });
  },
);

describe('infra/prometheus recording rules on live data', () => {
  it('every rule expression returns at least one series with values', async () => {
    const rules = recordingRules();
    expect(rules.size).toBeGreaterThan(5);
    const empty: string[] = [];
    for (const [name, expr] of rules)
      if (drawable(await queryRange(stack.prometheus.url, expr, window())).length === 0) empty.push(name);
    expect(empty).toEqual([]);
  });
});

describe("the demo's HTML report, opened in headless Chromium", () => {
  it('draws at least one line in every panel of the App overview and the state-store dashboard', async () => {
    const shown = dashboards
      .map((d) => d.dashboard)
      .filter((d) => /App overview|State stores/.test(d.title));
    expect(shown).toHaveLength(2);
    const { html, panels } = await dashboardsHtmlReport(stack.prometheus.url, shown, window(), {
      title: 'dashboards-live run',
      lines: [],
    });
    const path = join(mkdtempSync(join(tmpdir(), 'dashboards-report-')), 'report.html');
    writeFileSync(path, html);
    const drawn = drawnPanels(await renderedDom(path));
    expect(drawn.map((d) => d.panel)).toEqual(panels.map((p) => p.panel));
    expect(drawn.filter((d) => !d.drawn)).toEqual([]);
  }, 120_000);
});
