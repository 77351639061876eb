import { app, mean, quantile, rate, type PanelSpec, type Query } from './build';

/**
 * The panel and query shapes the definitions repeat, on top of `PanelSpec` (which
 * `buildDashboard` lays out and turns into Grafana's JSON): a definition names what a panel
 * shows, these write the spec and the PromQL.
 */

/** What a panel may set besides its title, unit, description and queries. */
export type PanelOptions = Omit<Partial<PanelSpec>, 'title' | 'description' | 'unit' | 'queries' | 'type'>;
export type Thresholds = NonNullable<PanelSpec['thresholds']>;

/** A time series that starts at 0: nearly every panel. `options` can lift `min` or set width, steps. */
export function timeseries(
  title: string,
  unit: string,
  description: string,
  queries: Query[],
  options: PanelOptions = {},
): PanelSpec {
  return { title, description, unit, min: 0, queries, ...options };
}

/** A stat panel: the last value of each query; no minimum unless `options` sets one. */
export function stat(...[title, unit, description, queries, options]: Parameters<typeof timeseries>): PanelSpec {
  return { title, description, type: 'stat', unit, queries, ...options };
}

/** Colour steps from low to high: the base colour, then each colour from its value up. */
export function steps(base: string, ...above: Array<[color: string, value: number]>): Thresholds {
  return [[base, null], ...above];
}

/** Green, orange from `orange`, red from `red` (when given): "higher is worse". */
export function warnAt(orange: number, red?: number): Thresholds {
  return red === undefined
    ? steps('green', ['orange', orange])
    : steps('green', ['orange', orange], ['red', red]);
}

export function query(expr: string, legend: string): Query {
  return { expr, legend };
}

/** Grafana's legend of the labels `by`: `service, topic` → `{{service}} {{topic}}`. */
export function legendOf(by: string): string {
  return labels(by)
    .map((label) => `{{${label}}}`)
    .join(' ');
}

function labels(by: string): string[] {
  return by.split(',').map((label) => label.trim());
}

/** `op by (by) (expr)`, or `op (expr)` when `by` is empty. */
export function aggregate(op: 'sum' | 'max', by: string, expr: string): string {
  return by ? `${op} by (${by}) (${expr})` : `${op} (${expr})`;
}

/** A counter's per-second rate summed by `by` (the app selector unless told). */
export function sumRate(by: string, metric: string, legend = legendOf(by), selector = app()): Query {
  return query(aggregate('sum', by, rate(metric, selector)), legend);
}

/** A gauge summed by `by`. */
export function sumOf(by: string, metric: string, legend = legendOf(by), selector = app()): Query {
  return query(aggregate('sum', by, `${metric}${selector}`), legend);
}

/** A gauge's maximum by `by`. */
export function maxOf(by: string, metric: string, legend = legendOf(by), selector = app()): Query {
  return query(aggregate('max', by, `${metric}${selector}`), legend);
}

/** The q-quantile of a histogram family by `by`, over the rate interval. */
export function quantileOf(
  q: number,
  family: string,
  by: string,
  legend = legendOf(by),
  selector = app(),
): Query {
  return query(quantile(q, family, selector, labels(by)), legend);
}

/** The mean of a histogram family by `by`, over the rate interval. */
export function meanOf(family: string, by: string, legend = legendOf(by), selector = app()): Query {
  return query(mean(family, selector, labels(by)), legend);
}
