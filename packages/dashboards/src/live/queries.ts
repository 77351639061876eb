import { labelValuesLabel, labelValuesMetric } from '../checks/dashboard-structure';
import type { Dashboard, Panel, PromTarget, Variable } from '../grafana/model';
import { panelsOf } from '../grafana/model';

/**
 * Runs a dashboard's queries against a real Prometheus the way Grafana would: template
 * variables substituted, over a time range, with a step.
 */

export interface RangeSeries {
  metric: Record<string, string>;
  /** [unix seconds, value as Prometheus prints it ("NaN", "+Inf", "1.5")] */
  values: Array<[number, string]>;
}

export interface QueryWindow {
  start: number;
  end: number;
  stepS: number;
}

/** What Grafana's "All" sends for a multi-value variable, and the rate interval for a 1 s scrape. */
export function defaultSubstitutions(dashboard: Dashboard, rateInterval = '20s'): Record<string, string> {
  const values: Record<string, string> = { __rate_interval: rateInterval, __interval: '2s' };
  for (const v of dashboard.templating.list) if (v.type === 'query') values[v.name] = v.allValue ?? '.*';
  return values;
}

/** Replaces `$name` and `${name}`; longer names first, so `$__rate_interval` is not read as `$__rate`. */
export function substitute(expr: string, values: Record<string, string>): string {
  return expr.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, a, b) => {
    const name = (a ?? b) as string;
    const value = values[name];
    if (value === undefined) throw new Error(`no value for $${name} in ${expr}`);
    return value;
  });
}

export async function queryRange(
  prometheusUrl: string,
  expr: string,
  window: QueryWindow,
): Promise<RangeSeries[]> {
  const params = new URLSearchParams({
    query: expr,
    start: String(window.start),
    end: String(window.end),
    step: `${window.stepS}s`,
  });
  const response = await fetch(`${prometheusUrl}/api/v1/query_range?${params}`);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { result: RangeSeries[] };
  };
  if (body.status !== 'success') throw new Error(`PromQL error for ${expr}: ${body.error}`);
  return body.data?.result ?? [];
}

/** Series with at least one finite value: what a panel would draw. */
export function drawable(series: RangeSeries[]): RangeSeries[] {
  return series.filter((s) => s.values.some(([, v]) => Number.isFinite(Number(v))));
}

export interface TargetResult {
  panel: Panel;
  target: PromTarget;
  expr: string;
  series: RangeSeries[];
}

/** Every query of every panel, substituted and run over the window. */
export async function runDashboardQueries(
  prometheusUrl: string,
  dashboard: Dashboard,
  window: QueryWindow,
  values = defaultSubstitutions(dashboard),
): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  for (const panel of panelsOf(dashboard)) {
    for (const target of panel.targets ?? []) {
      const expr = substitute(target.expr, values);
      results.push({ panel, target, expr, series: await queryRange(prometheusUrl, expr, window) });
    }
  }
  return results;
}

/**
 * A `label_values(selector, label)` variable as PromQL, so its values can be checked:
 * `count by (label) (selector)`.
 */
export function variableQuery(variable: Variable, values: Record<string, string>): string | undefined {
  if (variable.type !== 'query' || !variable.definition) return undefined;
  const selector = labelValuesMetric(variable.definition);
  const label = labelValuesLabel(variable.definition);
  if (!selector || !label) return undefined;
  return `count by (${label}) (${substitute(selector, values)})`;
}

/** The legend Grafana would print for a series, from the target's legendFormat. */
export function legendOf(target: PromTarget, series: RangeSeries): string {
  const format = target.legendFormat ?? '';
  const legend = format.replace(
    /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g,
    (_, l: string) => series.metric[l] ?? '',
  );
  return legend.trim() || JSON.stringify(series.metric);
}
