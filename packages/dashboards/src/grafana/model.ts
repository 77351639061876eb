/**
 * The slice of Grafana's dashboard JSON model (schemaVersion 39, Grafana 11) that the
 * streamtune dashboards use, both for building them and for reading them back in checks.
 */

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DatasourceRef {
  type: string;
  uid: string;
}

export interface PromTarget {
  refId: string;
  expr: string;
  legendFormat?: string;
  range?: boolean;
  instant?: boolean;
  datasource?: DatasourceRef;
}

export interface ThresholdStep {
  color: string;
  value: number | null;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: GridPos;
  datasource?: DatasourceRef;
  targets?: PromTarget[];
  fieldConfig?: {
    defaults: {
      unit?: string;
      min?: number;
      max?: number;
      decimals?: number;
      thresholds?: { mode: 'absolute' | 'percentage'; steps: ThresholdStep[] };
      color?: { mode: string };
      custom?: Record<string, unknown>;
      mappings?: unknown[];
    };
    overrides: unknown[];
  };
  options?: Record<string, unknown>;
  /** Rows only. */
  collapsed?: boolean;
  panels?: Panel[];
}

export interface Variable {
  name: string;
  label?: string;
  type: 'datasource' | 'query' | 'custom' | 'interval' | 'constant';
  query: string | { query: string; refId: string; qryType?: number };
  definition?: string;
  datasource?: DatasourceRef;
  includeAll?: boolean;
  multi?: boolean;
  allValue?: string;
  refresh?: number;
  sort?: number;
  regex?: string;
  hide?: number;
  current?: Record<string, unknown>;
  options?: unknown[];
}

export interface Dashboard {
  uid: string;
  title: string;
  description?: string;
  tags: string[];
  schemaVersion: number;
  version: number;
  editable: boolean;
  graphTooltip: number;
  refresh: string;
  time: { from: string; to: string };
  timezone: string;
  annotations: { list: unknown[] };
  links: unknown[];
  templating: { list: Variable[] };
  panels: Panel[];
}

/** Every panel of a dashboard, rows' nested panels included, rows themselves excluded. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
}

/** Rows and panels: everything that occupies the grid (a collapsed row's children do not). */
export function gridItemsOf(dashboard: Dashboard): Panel[] {
  return dashboard.panels;
}
