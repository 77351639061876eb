import { findMetric, metricNamesInPromQL } from '@streamtune/metrics';
import type { Dashboard, GridPos, Panel } from '../grafana/model';
import { panelsOf } from '../grafana/model';

/**
 * Structural checks of a Grafana dashboard as Grafana would load it. Each returns the
 * problems it found as sentences (empty when the dashboard is fine), so a test can show
 * all of them at once.
 */

const BUILT_IN_VARIABLES = new Set([
  '__rate_interval',
  '__interval',
  '__interval_ms',
  '__range',
  '__range_s',
  '__range_ms',
  '__dashboard',
  '__from',
  '__to',
]);

function overlaps(a: GridPos, b: GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Panels (and rows) whose rectangles intersect, or that leave the 24-column grid. */
export function gridProblems(dashboard: Dashboard): string[] {
  const problems: string[] = [];
  const items = dashboard.panels;
  for (const item of items) {
    const g = item.gridPos;
    if (!g || [g.x, g.y, g.w, g.h].some((n) => !Number.isInteger(n) || n < 0))
      problems.push(`"${item.title}": gridPos missing or not whole non-negative numbers`);
    else if (g.x + g.w > 24 || g.w === 0 || g.h === 0)
      problems.push(`"${item.title}": gridPos ${JSON.stringify(g)} leaves the 24-column grid or is empty`);
  }
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const [a, b] = [items[i]!, items[j]!];
      if (a.gridPos && b.gridPos && overlaps(a.gridPos, b.gridPos))
        problems.push(
          `"${a.title}" ${JSON.stringify(a.gridPos)} overlaps "${b.title}" ${JSON.stringify(b.gridPos)}`,
        );
    }
  }
  return problems;
}

/** Every panel has a Prometheus datasource (the variable), at least one non-empty query, a unit and thresholds. */
export function panelProblems(dashboard: Dashboard): string[] {
  const problems: string[] = [];
  const ids = new Set<number>();
  for (const item of dashboard.panels) {
    if (ids.has(item.id)) problems.push(`panel id ${item.id} is used twice`);
    ids.add(item.id);
  }
  for (const panel of panelsOf(dashboard)) {
    const name = `"${panel.title}"`;
    if (!panel.title?.trim()) problems.push(`panel ${panel.id} has no title`);
    if (panel.datasource?.type !== 'prometheus' || panel.datasource.uid !== '${datasource}')
      problems.push(`${name}: datasource is not the \${datasource} Prometheus variable`);
    const targets = panel.targets ?? [];
    if (targets.length === 0) problems.push(`${name}: no queries`);
    const refIds = new Set<string>();
    for (const target of targets) {
      if (!target.expr?.trim()) problems.push(`${name}: query ${target.refId} is empty`);
      if (refIds.has(target.refId)) problems.push(`${name}: refId ${target.refId} is used twice`);
      refIds.add(target.refId);
      if (target.datasource && target.datasource.uid !== '${datasource}')
        problems.push(`${name}: query ${target.refId} has its own datasource`);
    }
    const defaults = panel.fieldConfig?.defaults;
    if (!defaults?.unit) problems.push(`${name}: no unit`);
    const steps = defaults?.thresholds?.steps ?? [];
    if (steps.length === 0 || steps[0]?.value !== null)
      problems.push(`${name}: thresholds missing or without a base step`);
    for (let i = 2; i < steps.length; i++) {
      if ((steps[i]!.value ?? -Infinity) <= (steps[i - 1]!.value ?? -Infinity))
        problems.push(`${name}: threshold steps are not ascending`);
    }
  }
  return problems;
}

/** `$name` and `${name}` references in a string. */
export function variableReferences(text: string): string[] {
  return [...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}

/**
 * The datasource, service and instance variables exist, and every variable a query or a
 * variable definition uses is defined (or one of Grafana's built-ins).
 */
export function variableProblems(dashboard: Dashboard): string[] {
  const problems: string[] = [];
  const variables = dashboard.templating.list;
  const defined = new Set(variables.map((v) => v.name));
  const datasource = variables.find((v) => v.name === 'datasource');
  if (datasource?.type !== 'datasource' || datasource.query !== 'prometheus')
    problems.push('no `datasource` variable of type prometheus');
  for (const name of ['service', 'instance']) {
    const v = variables.find((x) => x.name === name);
    if (!v) problems.push(`no \`${name}\` variable`);
    else if (v.type !== 'query' || !/^label_values\(/.test(v.definition ?? ''))
      problems.push(`\`${name}\` is not a label_values() query variable`);
  }
  const check = (where: string, text: string) => {
    for (const ref of variableReferences(text)) {
      if (!defined.has(ref) && !BUILT_IN_VARIABLES.has(ref)) problems.push(`${where} uses undefined $${ref}`);
    }
  };
  for (const v of variables) if (v.definition) check(`variable ${v.name}`, v.definition);
  for (const panel of panelsOf(dashboard))
    for (const t of panel.targets ?? []) check(`"${panel.title}" ${t.refId}`, t.expr);
  return problems;
}

/** Metric names a dashboard reads that neither the catalog nor a recording rule defines. */
export function unknownMetricNames(dashboard: Dashboard, recordedNames: ReadonlySet<string>): string[] {
  const unknown: string[] = [];
  const expressions: Array<[string, string]> = [
    ...panelsOf(dashboard).flatMap((p: Panel) =>
      (p.targets ?? []).map((t): [string, string] => [`"${p.title}" ${t.refId}`, t.expr]),
    ),
    ...dashboard.templating.list
      .filter((v) => v.definition)
      .map((v): [string, string] => [`variable ${v.name}`, labelValuesMetric(v.definition!)]),
  ];
  for (const [where, expr] of expressions) {
    for (const name of metricNamesInPromQL(expr)) {
      if (!findMetric(name) && !recordedNames.has(name)) unknown.push(`${where}: ${name}`);
    }
  }
  return unknown;
}

/** The series selector inside `label_values(selector, label)`; '' for `label_values(label)`. */
export function labelValuesMetric(definition: string): string {
  const match = /^label_values\(\s*(.*?)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(definition.trim());
  return match ? match[1]! : '';
}

/** The label of `label_values(selector, label)`. */
export function labelValuesLabel(definition: string): string | undefined {
  return /,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(definition.trim())?.[1];
}
