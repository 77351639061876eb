import { escapeXml, lineChartSvg } from '@streamtune/perf';
import type { Dashboard } from '../grafana/model';
import { panelsOf } from '../grafana/model';
import type { QueryWindow } from './queries';
import { panelChart } from './render';

/**
 * One HTML page with a run's dashboards drawn from its own Prometheus data: every panel's
 * queries, as Grafana would run them, as SVG line charts. For readers without Grafana
 * (the local demo starts none); the docs' panel images come from the same panelChart().
 */

export interface ReportPanel {
  dashboard: string;
  panel: string;
  /** Series drawn; 0 when the run gave the panel no data. */
  series: number;
}

/**
 * Runs in the reader's browser once the page has laid out: marks each panel with the marks
 * it actually drew (lines of non-zero length, and points), which a headless browser's DOM
 * then shows.
 */
const MARK_DRAWN = `for (const figure of document.querySelectorAll('figure.panel')) {
  const lines = [...figure.querySelectorAll('svg path')].filter((p) => p.getTotalLength() > 0);
  const points = [...figure.querySelectorAll('svg circle')].filter((c) => c.getBBox().width > 0);
  figure.dataset.drawn = String(lines.length + points.length);
}
document.body.dataset.drawnMarked = 'true';`;

const STYLE = `body { font-family: sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { margin-top: 36px; border-bottom: 1px solid #ccc; }
.meta { color: #555; } figure.panel { margin: 18px 0; }
figcaption { color: #555; max-width: 760px; font-size: 13px; }
.empty { padding: 24px; background: #f6f6f6; color: #777; width: 712px; }
svg { max-width: 100%; height: auto; }`;

export async function dashboardsHtmlReport(
  prometheusUrl: string,
  dashboards: readonly Dashboard[],
  window: QueryWindow,
  heading: { title: string; lines: readonly string[] },
): Promise<{ html: string; panels: ReportPanel[] }> {
  const panels: ReportPanel[] = [];
  const body: string[] = [`<h1>${escapeXml(heading.title)}</h1>`];
  for (const line of heading.lines) body.push(`<p class="meta">${escapeXml(line)}</p>`);
  for (const dashboard of dashboards) {
    body.push(`<h2>${escapeXml(dashboard.title)}</h2>`);
    for (const panel of panelsOf(dashboard)) {
      const chart = await panelChart(prometheusUrl, dashboard, panel, window);
      panels.push({ dashboard: dashboard.title, panel: panel.title, series: chart.series.length });
      const drawing = chart.series.length
        ? lineChartSvg(chart)
        : `<div class="empty">${escapeXml(panel.title)}: no data in this run</div>`;
      const caption = panel.description ? `<figcaption>${escapeXml(panel.description)}</figcaption>` : '';
      body.push(
        `<figure class="panel" data-panel="${escapeXml(panel.title)}" data-series="${chart.series.length}">${drawing}${caption}</figure>`,
      );
    }
  }
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeXml(heading.title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    ...body,
    `<script>${MARK_DRAWN}</script>`,
    '</body></html>',
  ].join('\n');
  return { html, panels };
}

/** Each panel of a report as a browser left it: the marks MARK_DRAWN counted, undefined if it never ran. */
export function drawnPanels(dom: string): Array<{ panel: string; drawn: number | undefined }> {
  const named: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" };
  const unescape = (s: string) =>
    s.replace(/&(#\d+|[a-z]+);/g, (whole, ref: string) =>
      ref.startsWith('#') ? String.fromCharCode(Number(ref.slice(1))) : (named[ref] ?? whole),
    );
  return [...dom.matchAll(/<figure class="panel"([^>]*)>/g)].map(([, attributes]) => {
    const panel = /data-panel="([^"]*)"/.exec(attributes!)?.[1] ?? '';
    const drawn = /data-drawn="(\d+)"/.exec(attributes!)?.[1];
    return { panel: unescape(panel), drawn: drawn === undefined ? undefined : Number(drawn) };
  });
}
