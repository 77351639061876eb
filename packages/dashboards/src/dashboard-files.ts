import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readYaml } from './compose';
import type { Dashboard } from './grafana/model';
import { paths } from './paths';

/** dashboards/*.json as Grafana reads them. Throws naming the file when one does not parse. */
export function readDashboardFiles(
  dir = paths.dashboards(),
): Array<{ file: string; text: string; dashboard: Dashboard }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      try {
        return { file, text, dashboard: JSON.parse(text) as Dashboard };
      } catch (error) {
        throw new Error(`dashboards/${file} is not valid JSON: ${(error as Error).message}`);
      }
    });
}

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ record?: string; expr: string }> }>;
}

/** Recording rules of infra/prometheus/rules: name → expression. */
export function recordingRules(dir = join(paths.prometheus(), 'rules')): Map<string, string> {
  const rules = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    for (const group of readYaml<RuleFile>(join(dir, file)).groups ?? [])
      for (const rule of group.rules) if (rule.record) rules.set(rule.record, rule.expr);
  }
  return rules;
}
