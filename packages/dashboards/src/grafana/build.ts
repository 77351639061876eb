import type { Dashboard, DatasourceRef, Panel, PromTarget, ThresholdStep, Variable } from './model';

/**
 * Small builders for the dashboards: a definition lists rows of panels with their
 * queries, units and thresholds; layout, ids and Grafana's boilerplate come from here,
 * so every dashboard is consistent and the grid cannot overlap by hand-editing.
 */

export const SCHEMA_VERSION = 39;
/** Every panel and query reads the data source the `datasource` variable selects. */
export const DATASOURCE: DatasourceRef = { type: 'prometheus', uid: '${datasource}' };
const GRID_WIDTH = 24;

export interface Query {
  expr: string;
  legend: string;
}

export interface PanelSpec {
  title: string;
  /** What the panel shows and what to look for: Grafana shows it as the (i) tooltip. */
  description: string;
  type?: 'timeseries' | 'stat' | 'bargauge';
  /** A Grafana unit id (s, bytes, Bps, recps, percentunit, short, ...). */
  unit: string;
  queries: Query[];
  /** Colour steps from low to high; the first has no value (the base). Default: green only. */
  thresholds?: Array<[color: string, value: number | null]>;
  min?: number;
  max?: number;
  w?: number;
  h?: number;
  stack?: boolean;
}

export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

export interface VariableSpec {
  name: string;
  label: string;
  /** `label_values(metric{...}, label)`, Grafana's Prometheus variable query. */
  labelValues: string;
  /** Multi-value with an "All" option; All matches every non-empty value. */
  all?: boolean;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags?: string[];
  variables: VariableSpec[];
  rows: RowSpec[];
}

function datasourceVariable(): Variable {
  return {
    name: 'datasource',
    label: 'Data source',
    type: 'datasource',
    query: 'prometheus',
    refresh: 1,
    regex: '',
    hide: 0,
    current: {},
    options: [],
  };
}

function queryVariable(spec: VariableSpec): Variable {
  return {
    name: spec.name,
    label: spec.label,
    type: 'query',
    datasource: DATASOURCE,
    definition: spec.labelValues,
    query: { query: spec.labelValues, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 },
    includeAll: spec.all ?? true,
    multi: spec.all ?? true,
    // `.+`, not `.*`: "All" must not match series without the label (the broker's JVM process_*)
    allValue: '.+',
    refresh: 2,
    sort: 1,
    regex: '',
    hide: 0,
    current: {},
    options: [],
  };
}

function thresholdSteps(spec: PanelSpec): ThresholdStep[] {
  const steps = spec.thresholds ?? [['green', null]];
  return steps.map(([color, value], i) => ({ color, value: i === 0 ? null : value }));
}

function buildPanel(spec: PanelSpec, id: number, x: number, y: number): Panel {
  const type = spec.type ?? 'timeseries';
  const targets: PromTarget[] = spec.queries.map((q, i) => ({
    refId: String.fromCharCode(65 + i),
    datasource: DATASOURCE,
    expr: q.expr,
    legendFormat: q.legend,
    range: true,
  }));
  const steps = thresholdSteps(spec);
  const custom: Record<string, unknown> =
    type === 'timeseries'
      ? {
          drawStyle: 'line',
          lineWidth: 1,
          fillOpacity: spec.stack ? 30 : 10,
          showPoints: 'never',
          spanNulls: false,
          stacking: { mode: spec.stack ? 'normal' : 'none', group: 'A' },
          thresholdsStyle: { mode: steps.length > 1 ? 'line' : 'off' },
        }
      : {};
  const options: Record<string, unknown> =
    type === 'timeseries'
      ? {
          legend: {
            displayMode: 'table',
            placement: 'bottom',
            showLegend: true,
            calcs: ['lastNotNull', 'max'],
          },
          tooltip: { mode: 'multi', sort: 'desc' },
        }
      : {
          reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
          colorMode: 'value',
          graphMode: 'area',
          textMode: 'auto',
          orientation: 'auto',
        };
  return {
    id,
    type,
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    gridPos: { x, y, w: spec.w ?? 12, h: spec.h ?? 8 },
    targets,
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        ...(spec.min !== undefined ? { min: spec.min } : {}),
        ...(spec.max !== undefined ? { max: spec.max } : {}),
        thresholds: { mode: 'absolute', steps },
        color: { mode: type === 'timeseries' ? 'palette-classic' : 'thresholds' },
        custom,
      },
      overrides: [],
    },
    options,
  };
}

/** Lays rows out top to bottom and their panels left to right, wrapping at 24 columns. */
export function buildDashboard(spec: DashboardSpec): Dashboard {
  const panels: Panel[] = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    panels.push({
      id: id++,
      type: 'row',
      title: row.title,
      collapsed: false,
      gridPos: { x: 0, y, w: GRID_WIDTH, h: 1 },
      panels: [],
    });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const panelSpec of row.panels) {
      const w = panelSpec.w ?? 12;
      if (w > GRID_WIDTH) throw new Error(`${spec.uid}: panel "${panelSpec.title}" is wider than the grid`);
      if (x + w > GRID_WIDTH) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      panels.push(buildPanel(panelSpec, id++, x, y));
      x += w;
      lineHeight = Math.max(lineHeight, panelSpec.h ?? 8);
    }
    y += lineHeight;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['streamtune', ...(spec.tags ?? [])],
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    editable: false,
    graphTooltip: 1,
    refresh: '10s',
    time: { from: 'now-30m', to: 'now' },
    timezone: 'browser',
    annotations: { list: [] },
    links: [
      {
        type: 'dashboards',
        title: 'streamtune',
        tags: ['streamtune'],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
      },
    ],
    templating: { list: [datasourceVariable(), ...spec.variables.map(queryVariable)] },
    panels,
  };
}

/** `{service=~"$service",instance=~"$instance"}` plus extra matchers: the app-side selector. */
export function app(extra = ''): string {
  return `{service=~"$service",instance=~"$instance"${extra ? `,${extra}` : ''}}`;
}

/** Host selector for node-exporter series (the `node` variable). */
export function node(extra = ''): string {
  return `{instance=~"$node"${extra ? `,${extra}` : ''}}`;
}

/** A rate over Grafana's $__rate_interval. */
export function rate(metric: string, selector: string): string {
  return `rate(${metric}${selector}[$__rate_interval])`;
}

/** The q-quantile of a histogram family, aggregated by `by` (le is added). */
export function quantile(q: number, family: string, selector: string, by: string[]): string {
  return `histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (${rate(`${family}_bucket`, selector)}))`;
}

/**
 * The q-quantile of every observation since the process started (no rate): for rare events
 * such as rebalances and restores, which a rate over a short window would mostly miss.
 */
export function quantileSinceStart(q: number, family: string, selector: string, by: string[]): string {
  return `histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (${family}_bucket${selector}))`;
}

/** The mean of a histogram family over the rate interval, by `by`. */
export function mean(family: string, selector: string, by: string[]): string {
  const group = by.join(', ');
  return `sum by (${group}) (${rate(`${family}_sum`, selector)}) / sum by (${group}) (${rate(`${family}_count`, selector)})`;
}

export const SERVICE_VARIABLES: VariableSpec[] = [
  { name: 'service', label: 'Service', labelValues: 'label_values(streamtune_ready, service)' },
  {
    name: 'instance',
    label: 'Instance',
    labelValues: 'label_values(streamtune_ready{service=~"$service"}, instance)',
  },
];

export const NODE_VARIABLE: VariableSpec = {
  name: 'node',
  label: 'Host (node-exporter)',
  labelValues: 'label_values(node_uname_info, instance)',
};
