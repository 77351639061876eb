import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findMetric, metricNamesInPromQL } from '../src/index';

const run = promisify(execFile);
const dir = join(import.meta.dirname, '../../../infra/prometheus');
const configs = ['prometheus.yml', 'prometheus.local.yml'];

interface PromConfig {
  rule_files: string[];
  scrape_configs: Array<{
    job_name: string;
    honor_labels?: boolean;
    static_configs: Array<{ targets: string[] }>;
  }>;
}
interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ record?: string; alert?: string; expr: string }> }>;
}

const load = (file: string) => parse(readFileSync(join(dir, file), 'utf8')) as PromConfig;
const ruleFiles = readdirSync(join(dir, 'rules')).filter((f) => f.endsWith('.yml'));

describe('infra/prometheus', () => {
  it.each(configs)('promtool check config passes on %s (with its rule files)', async (file) => {
    const { stdout } = await run('/usr/bin/promtool', ['check', 'config', join(dir, file)]);
    expect(stdout).toMatch(/SUCCESS: \d+ rule files found/);
  });

  it('the local demo scrapes the same jobs and ports as compose', () => {
    const shape = (file: string) =>
      load(file).scrape_configs.map((job) => ({
        job: job.job_name,
        honorLabels: job.honor_labels ?? false,
        ports: job.static_configs.flatMap((s) => s.targets.map((t) => t.split(':').at(-1))),
      }));
    expect(shape('prometheus.local.yml')).toEqual(shape('prometheus.yml'));
    for (const job of load('prometheus.local.yml').scrape_configs) {
      for (const target of job.static_configs.flatMap((s) => s.targets))
        expect(target).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it("keeps the apps' own instance label (honor_labels) on the streamtune job", () => {
    const job = load('prometheus.yml').scrape_configs.find((j) => j.job_name === 'streamtune');
    expect(job?.honor_labels).toBe(true);
  });

  it.each(ruleFiles)('recording rules in %s read only catalog metrics', (file) => {
    const rules = parse(readFileSync(join(dir, 'rules', file), 'utf8')) as RuleFile;
    const recorded = new Set(rules.groups.flatMap((g) => g.rules.map((r) => r.record)));
    let checked = 0;
    for (const rule of rules.groups.flatMap((g) => g.rules)) {
      for (const name of metricNamesInPromQL(rule.expr)) {
        if (recorded.has(name)) continue;
        expect(findMetric(name), `${rule.record ?? rule.alert}: ${name}`).toBeDefined();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
