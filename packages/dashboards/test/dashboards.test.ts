import { describe, expect, it } from 'vitest';
import {
  buildDashboard,
  dashboardDefinitions,
  dashboardJson,
  gridProblems,
  panelProblems,
  panelsOf,
  readDashboardFiles,
  recordingRules,
  unknownMetricNames,
  variableProblems,
  type Dashboard,
} from '../src/index';
import { defaultSubstitutions, drawable, substitute, variableQuery } from '../src/live/queries';

const files = readDashboardFiles();
const byFile = new Map(files.map((f) => [f.file, f]));

describe('dashboards/*.json', () => {
  it('holds exactly the five dashboards, each as its definition builds it (npm run dashboards:build)', () => {
    expect(files.map((f) => f.file).sort()).toEqual(dashboardDefinitions.map((d) => d.file).sort());
    for (const { file, spec } of dashboardDefinitions) {
      expect(byFile.get(file)?.text, `dashboards/${file} is stale: run npm run dashboards:build`).toBe(
        dashboardJson(spec),
      );
    }
  });

  it('have unique uids, and the App overview is streamtune-app-overview', () => {
    const uids = files.map((f) => f.dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(byFile.get('app-overview.json')?.dashboard.uid).toBe('streamtune-app-overview');
    for (const { dashboard } of files) {
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
      expect(dashboard.title).toMatch(/^streamtune \/ /);
    }
  });

  describe.each(files.map((f) => [f.file, f.dashboard] as const))('%s', (_file, dashboard) => {
    it('panels do not overlap and stay on the grid', () => {
      expect(gridProblems(dashboard)).toEqual([]);
    });

    it('every panel has the datasource variable, queries, a unit and thresholds', () => {
      expect(panelsOf(dashboard).length).toBeGreaterThan(4);
      expect(panelProblems(dashboard)).toEqual([]);
    });

    it('has datasource, service and instance variables, and queries use only defined variables', () => {
      expect(variableProblems(dashboard)).toEqual([]);
    });

    it('reads only metrics from the catalog or the recording rules', () => {
      expect(unknownMetricNames(dashboard, new Set(recordingRules().keys()))).toEqual([]);
    });
  });

  it('the App overview covers what the issue lists', () => {
    const exprs = panelsOf(byFile.get('app-overview.json')!.dashboard)
      .flatMap((p) => p.targets ?? [])
      .map((t) => t.expr)
      .join('\n');
    for (const metric of [
      'streamtune_records_processed_total',
      'streamtune_output_e2e_latency_seconds_bucket',
      'streamtune_record_e2e_latency_seconds_bucket',
      'streamtune_consumer_lag_records',
      'streamtune_commits_total',
      'streamtune_commit_phase_latency_seconds_bucket',
      'streamtune_producer_batch_size_bytes_sum',
      'streamtune_producer_request_latency_seconds_bucket',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'streamtune_native_memory_bytes',
      'streamtune_store_approximate_memory_bytes',
      'streamtune_store_footprint_bytes',
      'streamtune_restore_remaining_records',
      'node_cpu_seconds_total',
      'node_memory_MemAvailable_bytes',
      'node_network_receive_bytes_total',
      'node_disk_written_bytes_total',
    ])
      expect(exprs).toContain(metric);
  });
});

describe('the checks catch broken dashboards', () => {
  const good = (): Dashboard => buildDashboard(dashboardDefinitions[0]!.spec);

  it('overlapping panels', () => {
    const d = good();
    const [, first, second] = d.panels;
    second!.gridPos = { ...first!.gridPos, x: first!.gridPos.x + 1 };
    expect(gridProblems(d)).toHaveLength(1);
  });

  it('a panel without datasource, queries, unit or thresholds', () => {
    const d = good();
    const panel = panelsOf(d)[0]!;
    delete panel.datasource;
    panel.targets = [];
    delete panel.fieldConfig!.defaults.unit;
    panel.fieldConfig!.defaults.thresholds = { mode: 'absolute', steps: [] };
    expect(panelProblems(d)).toHaveLength(4);
  });

  it('an unknown metric and an undefined variable', () => {
    const d = good();
    panelsOf(d)[0]!.targets![0]!.expr = 'rate(streamtune_no_such_metric_total{pod=~"$pod"}[5m])';
    expect(unknownMetricNames(d, new Set())).toEqual([
      `"${panelsOf(d)[0]!.title}" A: streamtune_no_such_metric_total`,
    ]);
    expect(variableProblems(d)).toEqual([`"${panelsOf(d)[0]!.title}" A uses undefined $pod`]);
  });
});

describe('live query helpers', () => {
  it('substitute replaces $var and ${var}, and refuses an unknown one', () => {
    expect(
      substitute('rate(x{service=~"$service",i=~"${instance}"}[$__rate_interval])', {
        service: '.+',
        instance: 'a',
        __rate_interval: '20s',
      }),
    ).toBe('rate(x{service=~".+",i=~"a"}[20s])');
    expect(() => substitute('x{a="$nope"}', {})).toThrow(/\$nope/);
  });

  it('drawable keeps only series with a finite value', () => {
    const series = (values: string[]) => ({
      metric: {},
      values: values.map((v, i): [number, string] => [i, v]),
    });
    expect(drawable([series(['NaN', 'NaN']), series(['+Inf']), series(['NaN', '0'])])).toHaveLength(1);
  });

  it('a label_values variable becomes a count by its label', () => {
    const d = buildDashboard(dashboardDefinitions[0]!.spec);
    const instance = d.templating.list.find((v) => v.name === 'instance')!;
    expect(variableQuery(instance, defaultSubstitutions(d))).toBe(
      'count by (instance) (streamtune_ready{service=~".+"})',
    );
  });
});
